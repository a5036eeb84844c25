using System.Reflection;
using System.Text.Json;
using C10k.Server.Hosting;

namespace C10k.Deploy.Tests;

/// <summary>
/// The server's effective defaults, read from the server itself rather than repeated here: a key's value in
/// src/C10k.Server/appsettings.json, else the default of the options class whose <c>Section</c> constant names it.
/// A section the server does not have yet (a front not landed) gives null.
/// </summary>
internal static class ServerDefaults
{
    private static readonly Lazy<JsonElement> AppSettings = new(() =>
        JsonDocument.Parse(RepositoryFiles.ReadAllText("src/C10k.Server/appsettings.json")).RootElement);

    public static int? Int(string section, string key)
    {
        var node = AppSettings.Value;
        foreach (var part in section.Split(':'))
        {
            if (!node.TryGetProperty(part, out node))
            {
                return ClassDefault(section, key);
            }
        }

        return node.TryGetProperty(key, out var value) ? value.GetInt32() : ClassDefault(section, key);
    }

    private static int? ClassDefault(string section, string key)
    {
        foreach (var type in typeof(ServerOptions).Assembly.GetTypes())
        {
            var field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static);
            if (field is { IsLiteral: true } && (string?)field.GetRawConstantValue() == section
                && type.GetConstructor(Type.EmptyTypes) is { } constructor
                && type.GetProperty(key)?.GetValue(constructor.Invoke(null)) is int value)
            {
                return value;
            }
        }

        return null;
    }
}
