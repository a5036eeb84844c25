using System.Globalization;
using System.Text.Json;
using C10k.Server.Hosting;

namespace C10k.Ops.Tests;

public sealed class ConfigurationDocsTests
{
    [Fact]
    public void EveryOptionIsDocumentedWithItsDefault()
    {
        var doc = RepositoryFiles.ReadAllText("docs/configuration.md").Split('\n');
        var keys = OptionsCatalog.Keys();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            var row = doc.FirstOrDefault(line => line.StartsWith("| `" + key.Key + "`", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/configuration.md has no table row for {key.Key}");
            Assert.True(row.Contains("| " + key.Default + " |", StringComparison.Ordinal) || row.Contains("| `" + key.Default + "` |", StringComparison.Ordinal),
                $"the row of {key.Key} does not state its default {key.Default}: {row}");
        });
    }

    [Fact]
    public void EveryOptionsClassIsBoundAndValidated()
    {
        var sections = OptionsCatalog.Sections().Select(s => s.Section).ToList();

        Assert.Contains(AdminOptions.Section, sections);
        Assert.Contains(LoggingOptions.Section, sections);
        Assert.Contains(NativeOptions.Section, sections);
        Assert.Equal(sections.Count, sections.Distinct().Count());
    }

    [Fact]
    public void AppSettingsListsEveryOptionWithItsDefault()
    {
        using var settings = JsonDocument.Parse(RepositoryFiles.ReadAllText("src/C10k.Server/appsettings.json"));

        Assert.All(OptionsCatalog.Keys(), key =>
        {
            var element = settings.RootElement;
            foreach (var part in key.Key.Split(':'))
            {
                Assert.True(element.TryGetProperty(part, out element), $"appsettings.json has no {key.Key}");
            }

            var value = element.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => element.GetInt64().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.Object => element.GetRawText(),
                _ => element.GetString(),
            };
            Assert.True(key.Default == value, $"appsettings.json sets {key.Key} to {value}, the options class defaults to {key.Default}");
        });
    }
}
