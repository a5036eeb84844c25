using C10k.Testing;

namespace C10k.Security.Tests.Support;

/// <summary>The bytes of a named ```vector block of docs/protocol.md, so exchanges are checked against the spec itself.</summary>
internal static class DocVectors
{
    public static byte[] Bytes(string name)
    {
        var doc = RepositoryFiles.ReadAllText("docs/protocol.md");
        var block = doc.Split("```vector\n").Single(b => b.StartsWith("name: " + name + "\n", StringComparison.Ordinal));
        var hex = block.Split('\n').Single(l => l.StartsWith("hex: ", StringComparison.Ordinal))["hex: ".Length..];
        return Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
    }
}
