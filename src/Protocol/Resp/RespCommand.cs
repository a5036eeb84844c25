namespace C10k.Protocol.Resp;

/// <summary>
/// Commands the RESP front answers itself, identified from the name's bytes once per request.
/// <see cref="Unknown"/> names go to the operation registry (HASH and user operations) by their bytes.
/// </summary>
public enum RespCommand : byte
{
    /// <summary>Not a built-in: look the name up in the operation registry.</summary>
    Unknown,

    /// <summary>PING [message]: an operation like any other, except in subscribed mode, where it answers Redis's push-style array.</summary>
    Ping,

    /// <summary>ECHO message.</summary>
    Echo,

    /// <summary>QUIT: OK, then the server closes.</summary>
    Quit,

    /// <summary>SELECT index: only database 0 exists.</summary>
    Select,

    /// <summary>HELLO [protover [AUTH user pass] [SETNAME name]].</summary>
    Hello,

    /// <summary>COMMAND and its subcommands, answered from the command catalog.</summary>
    Command,

    /// <summary>CLIENT subcommands.</summary>
    Client,

    /// <summary>CONFIG subcommands.</summary>
    Config,

    /// <summary>INFO [section].</summary>
    Info,

    /// <summary>CLUSTER: "cluster support is disabled", as a standalone Redis answers.</summary>
    Cluster,

    /// <summary>SENTINEL: an unknown command, as Redis outside sentinel mode answers.</summary>
    Sentinel,

    /// <summary>GET key: nil, always (there is no key space; clients probe with it).</summary>
    Get,

    /// <summary>SUBSCRIBE channel…: subscribes (no message is ever published).</summary>
    Subscribe,

    /// <summary>UNSUBSCRIBE [channel…]: leaves channels (all of them without arguments).</summary>
    Unsubscribe,

    /// <summary>AUTH [user] password.</summary>
    Auth,
}
