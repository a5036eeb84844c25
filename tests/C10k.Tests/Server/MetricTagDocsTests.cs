using System.Reflection;
using C10k.Server.Connections;

namespace C10k.Tests.Server;

/// <summary>Every reason tag the connection metrics can carry is explained in docs/metrics.md.</summary>
public class MetricTagDocsTests
{
    [Fact]
    public void EveryCloseReasonAndEveryRefusalReasonIsInTheMetricsDoc()
    {
        var doc = RepositoryFiles.ReadAllText("docs/metrics.md");
        var closes = Enum.GetValues<CloseReason>().Select(r => r.Tag());
        var refusals = typeof(Refusal).GetProperties(BindingFlags.Public | BindingFlags.Static).Select(p => ((Refusal)p.GetValue(null)!).Reason);

        Assert.All(closes.Concat(refusals), tag => Assert.Contains("`" + tag + "`", doc, StringComparison.Ordinal));
    }
}
