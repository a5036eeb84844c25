using System.Text;
using C10k.LoadTesting.Commands;

namespace C10k.LoadTesting.Tests;

public sealed class CommandTemplateTests
{
    [Fact]
    public void PlaceholdersRenderFromTheIterationsScope()
    {
        var template = CommandTemplate.Parse("SET key:{seq} {feed} \"two words\" {bytes:3} {{literal}}");

        var words = Render(template, new TemplateScope(42, "payload"u8.ToArray()));

        Assert.Equal(["SET", "key:42", "payload", "two words", "xxx", "{literal}"], words);
    }

    [Fact]
    public void RandomValuesStayInRangeAndRepeatForTheSameSequence()
    {
        var template = CommandTemplate.Parse("GET key:{random:5-9} {int:3}");

        var first = Enumerable.Range(0, 500).Select(i => Render(template, new TemplateScope(i, default))).ToList();
        var again = Enumerable.Range(0, 500).Select(i => Render(template, new TemplateScope(i, default))).ToList();

        Assert.Equal(first, again);
        var keys = first.Select(w => int.Parse(w[1]["key:".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal([5, 6, 7, 8, 9], keys.Order());
        Assert.Equal(["1", "2", "3"], first.Select(w => w[2]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void VariablesComeFromTheScope()
    {
        var scope = new TemplateScope(1, default);
        scope.Set("key", "k:7"u8.ToArray());

        Assert.Equal(["GET", "k:7", "x-k:7"], Render(CommandTemplate.Parse("GET {key} x-{key}"), scope));
        Assert.Equal(["key"], CommandTemplate.Parse("GET {key} x-{key}").Variables.Distinct());
    }

    [Fact]
    public void ConstantCommandsRenderTheSameWordsEveryTime()
    {
        var template = CommandTemplate.Parse("PING");

        Assert.Same(template.Render(new TemplateScope(1, default)), template.Render(new TemplateScope(2, default)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET {nope:1}")]
    [InlineData("GET {random:9-5}")]
    [InlineData("GET {random:x}")]
    [InlineData("GET {seq")]
    [InlineData("GET seq}")]
    [InlineData("GET \"open")]
    [InlineData("{seq} x")]
    public void MalformedTemplatesAreRejected(string text) => Assert.Throws<FormatException>(() => CommandTemplate.Parse(text));

    [Fact]
    public void AStepUsingAVariableNothingDefinesIsRejected()
    {
        var step = new CommandStep("get", CommandTemplate.Parse("GET {key}"));

        var error = Assert.Throws<FormatException>(() => CommandScenario.Create([step], []));

        Assert.Contains("{key}", error.Message, StringComparison.Ordinal);
    }

    private static string[] Render(CommandTemplate template, TemplateScope scope) =>
        [.. template.Render(scope).Select(w => Encoding.UTF8.GetString(w.Span))];
}
