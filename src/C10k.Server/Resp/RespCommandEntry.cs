namespace C10k.Server.Resp;

/// <summary>What COMMAND reports for one command: Redis's COMMAND INFO fields (no keys: nothing here has a keyspace) plus COMMAND DOCS' summary.</summary>
internal sealed record RespCommandEntry(string Name, int Arity, string[] Flags, string[] AclCategories, string Summary, string Group, string Since)
{
    /// <summary>Name as bytes, for matching names off the wire.</summary>
    public byte[] NameBytes { get; } = System.Text.Encoding.ASCII.GetBytes(Name);
}
