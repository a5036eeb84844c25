using C10k.LoadTesting.Commands;

namespace C10k.LoadTesting.Tests;

public sealed class ReplyCheckTests
{
    private static readonly TemplateScope Scope = new(7, "v"u8.ToArray());

    [Theory]
    [InlineData(ReplyKind.Bulk, "v", true, "ok")]
    [InlineData(ReplyKind.Bulk, "w", false, "check:value")]
    [InlineData(ReplyKind.Integer, "v", false, "check:type")]
    public void TypeAndValueMustBothHold(ReplyKind kind, string value, bool ok, string status)
    {
        var check = new ReplyCheck(ReplyKind.Bulk, ArgumentTemplate.Parse("{feed}"), null);

        var judged = check.Apply(Reply(kind, value), Scope);

        Assert.Equal((ok, status), (judged.IsOk, judged.Status));
    }

    [Fact]
    public void RegexIsMatchedAgainstTheValue()
    {
        var check = new ReplyCheck(null, null, "^[0-9a-f]{4}$");

        Assert.True(check.Apply(Reply(ReplyKind.Bulk, "beef"), Scope).IsOk);
        Assert.Equal("check:regex", check.Apply(Reply(ReplyKind.Bulk, "BEEF"), Scope).Status);
    }

    [Fact]
    public void AnErrorReplyKeepsItsCodeUnlessTheCheckExpectsAnError()
    {
        var error = Response.Fail("WRONGTYPE") with { Kind = ReplyKind.Error, Value = "WRONGTYPE Operation"u8.ToArray() };

        Assert.Equal("WRONGTYPE", new ReplyCheck(ReplyKind.Bulk, null, null).Apply(error, Scope).Status);
        Assert.True(new ReplyCheck(ReplyKind.Error, null, "^WRONGTYPE").Apply(error, Scope).IsOk);
    }

    [Fact]
    public void AFailureWithoutAReplyStandsAsItIs()
    {
        Assert.Equal("closed", new ReplyCheck(ReplyKind.Bulk, null, null).Apply(Response.Fail("closed"), Scope).Status);
    }

    [Fact]
    public void UnknownTypeNamesAreRejected()
    {
        Assert.Equal(ReplyKind.Simple, ReplyCheck.ParseKind("SIMPLE"));
        Assert.Throws<FormatException>(() => ReplyCheck.ParseKind("none"));
        Assert.Throws<FormatException>(() => ReplyCheck.ParseKind("string"));
    }

    private static Response Reply(ReplyKind kind, string value) =>
        Response.Ok() with { Kind = kind, Value = System.Text.Encoding.UTF8.GetBytes(value) };
}
