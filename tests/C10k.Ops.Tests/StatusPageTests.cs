using System.Text.RegularExpressions;
using C10k.Protocol.Native;

namespace C10k.Ops.Tests;

public sealed partial class StatusPageTests
{
    [Fact]
    public async Task StatusPageShowsLiveCountsWithoutAnyExternalAsset()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.ConnectNativeAsync();
        await client.SendAsync(NativeOpcodes.Ping, Enumerable.Range(1, 25).Select(i => (uint)i));
        for (var i = 0; i < 25; i++)
        {
            await client.ReadReplyAsync();
        }

        var page = await server.Admin.GetStringAsync("");

        Assert.Contains("<b id=\"requests-total\">25</b>", page, StringComparison.Ordinal);
        Assert.Contains("<b id=\"open-connections\">1</b>", page, StringComparison.Ordinal);
        Assert.Contains("<b id=\"state\" class=\"ready\">ready</b>", page, StringComparison.Ordinal);
        Assert.Matches("<tr data-op=\"ping\"><td>ping</td><td class=\"rate\">[1-9][0-9.,]*</td><td class=\"total\">25</td>", page);
        Assert.DoesNotMatch(ExternalReference(), page);
    }

    [Fact]
    public async Task PanelRefreshReflectsNewRequests()
    {
        await using var server = await TestServer.StartAsync();
        var before = await server.Admin.GetStringAsync("status/panel");
        using var client = await server.ConnectNativeAsync();
        await client.SendAsync(NativeOpcodes.Echo, 1, "hi");
        await client.ReadReplyAsync();

        var after = await server.Admin.GetStringAsync("status/panel");

        Assert.Contains("<b id=\"requests-total\">0</b>", before, StringComparison.Ordinal);
        Assert.Contains("<b id=\"requests-total\">1</b>", after, StringComparison.Ordinal);
        Assert.Contains("data-op=\"echo\"", after, StringComparison.Ordinal);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//|<link|@import|url\\(", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
