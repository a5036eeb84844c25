namespace C10k.Server.Fronts;

/// <summary>The order in which a front's replies reach the wire.</summary>
public enum ReplyOrdering
{
    /// <summary>In request order, as RESP and most text protocols need: a quick reply waits behind a slower one asked before it.</summary>
    RequestOrder,

    /// <summary>As each request completes, for protocols whose replies carry the request's id (the native protocol).</summary>
    CompletionOrder,
}
