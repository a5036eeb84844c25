using System.Text.Json;
using System.Text.Json.Serialization;
using C10k.LoadTesting.Results;

namespace C10k.LoadTesting.Reports;

/// <summary>The json report: <see cref="RunResult"/> in snake_case (schema in loadtests/README.md).</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Renders <paramref name="run"/> as json.</summary>
    public static string Render(RunResult run) => JsonSerializer.Serialize(run, Options);
}
