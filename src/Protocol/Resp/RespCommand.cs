namespace C10k.Protocol.Resp;

/// <summary>
/// Commands the RESP front answers itself, identified from the name's bytes once per request.
/// <see cref="Unknown"/> names go to the operation registry (HASH and user operations) by their bytes.
/// </summary>
public enum RespCommand : byte
{
    /// <summary>Not a built-in: look the name up in the operation registry.</summary>
    Unknown,
    Ping,
    Echo,
    Quit,
    Select,
    Hello,
    Command,
    Client,
    Config,
    Info,
    Cluster,
    Sentinel,
    Get,
    Subscribe,
    Unsubscribe,
    Auth,
}
