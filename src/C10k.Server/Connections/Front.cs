namespace C10k.Server.Connections;

/// <summary>A protocol front: one listening port, one wire protocol. Metrics and logs tag connections with it.</summary>
public enum Front
{
    /// <summary>The native length-prefixed binary protocol.</summary>
    Native,

    /// <summary>RESP2, for Redis clients.</summary>
    Resp,

    /// <summary>An application's own protocol (<see cref="ConnectionSession"/>, hosted with <c>UseC10kFront</c>); metric tag <c>custom</c>.</summary>
    Custom,
}
