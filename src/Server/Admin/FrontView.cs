namespace C10k.Server.Admin;

/// <summary>One data front on the status page.</summary>
internal sealed record FrontView(string Name, int Port, int Open, int MaxConnections);
