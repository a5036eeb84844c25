namespace C10k.Server.Connections;

/// <summary>A protocol front: one listening port, one wire protocol.</summary>
public enum Front
{
    /// <summary>The native length-prefixed binary protocol.</summary>
    Native,

    /// <summary>RESP2, for Redis clients.</summary>
    Resp,
}
