namespace C10k.Server.Admin;

/// <summary>One data front on the status page: its plain port and TLS port (0 = none) and the connections open on both.</summary>
internal sealed record FrontView(string Name, int Port, int TlsPort, int Open);
