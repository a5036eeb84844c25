using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace C10k.Server.Admin;

/// <summary>
/// Renders the status page: one self-contained HTML document (inline CSS and script, no external asset) whose panel reloads
/// itself from <c>status/panel</c>, so the page and its refreshes share one renderer. Without script, a meta refresh reloads it.
/// </summary>
internal static class StatusPageHtml
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d232a;background:#f6f7f9}
        h1{font-size:1.4em;margin:0 0 .6em}h2{font-size:1.05em;margin:1.2em 0 .4em}
        .cards{display:flex;flex-wrap:wrap;gap:.6em}.card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:.5em .9em;min-width:8.5em}
        .card b{display:block;font-size:1.5em;font-variant-numeric:tabular-nums}.card span{color:#5c6773;font-size:.85em}
        table{border-collapse:collapse;background:#fff;border:1px solid #d8dde3}th,td{padding:.3em .7em;border-bottom:1px solid #eceff2;text-align:right;font-variant-numeric:tabular-nums}
        th{background:#eef1f4;font-weight:600}td:first-child,th:first-child{text-align:left}
        .ready{color:#16794c}.draining,.stopping,.starting{color:#b3261e}svg{background:#fff;border:1px solid #d8dde3}
        footer{margin-top:1.5em;color:#5c6773;font-size:.85em}
        """;

    /// <summary>The whole page, with the panel rendered in place.</summary>
    public static string Page(StatusView view, int refreshMs)
    {
        var refresh = refreshMs.ToString(CultureInfo.InvariantCulture);
        var html = new StringBuilder(8192);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>C10k status</title><noscript><meta http-equiv=\"refresh\" content=\"")
            .Append(Math.Max(1, refreshMs / 1000)).Append("\"></noscript><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>C10k status</h1><div id=\"panel\">");
        AppendPanel(html, view);
        html.Append("</div><footer>Refreshes every ").Append(refresh).Append(" ms. Machine-readable: <a href=\"metrics\">/metrics</a> (Prometheus), ")
            .Append("<a href=\"healthz\">/healthz</a>, <a href=\"readyz\">/readyz</a>.</footer><script>")
            .Append("async function refresh(){try{const r=await fetch('status/panel',{cache:'no-store'});")
            .Append("if(r.ok){const p=document.getElementById('panel');p.innerHTML=await r.text();p.dataset.refreshes=(+p.dataset.refreshes||0)+1;}}")
            .Append("catch(e){}finally{setTimeout(refresh,")
            .Append(refresh).Append(");}}setTimeout(refresh,").Append(refresh).Append(");</script></body></html>");
        return html.ToString();
    }

    /// <summary>The live panel alone, for the page's refresh.</summary>
    public static string Panel(StatusView view)
    {
        var html = new StringBuilder(4096);
        AppendPanel(html, view);
        return html.ToString();
    }

    private static void AppendPanel(StringBuilder html, StatusView view)
    {
        var live = view.Live;
        html.Append("<div class=\"cards\">");
        Card(html, "state", Encode(view.State), "state", view.State);
        Card(html, "uptime", Uptime(live.Uptime), "uptime");
        Card(html, "open-connections", Count(view.Fronts.Sum(f => f.Open)), "open connections");
        Card(html, "in-flight", Count(view.InFlight), "requests in flight");
        Card(html, "requests-rate", Rate(live.RequestsPerSecond), "requests/s");
        Card(html, "requests-total", Count(live.Requests), "requests answered");
        Card(html, "queue-depth", Count(view.QueueDepth), "worker queue depth");
        Card(html, "busy-workers", Count(view.BusyWorkers) + " / " + Count(view.ExecutedPerWorker.Count), "busy workers");
        html.Append("</div>");

        AppendOperations(html, live);
        AppendHistory(html, live.RequestsPerSecondHistory);
        AppendConnections(html, view);
        AppendWorkers(html, view);
    }

    private static void AppendOperations(StringBuilder html, LiveReport live)
    {
        html.Append("<h2>Operations (rates and latency over the last ").Append(Math.Round(live.WindowSeconds).ToString(CultureInfo.InvariantCulture))
            .Append(" s)</h2><table id=\"ops\"><tr><th>op</th><th>req/s</th><th>total</th><th>ok</th><th>busy</th><th>timeout</th><th>errors</th>")
            .Append("<th>exec p50</th><th>exec p90</th><th>exec p99</th><th>queue p50</th><th>queue p99</th></tr>");
        foreach (var op in live.Ops)
        {
            html.Append("<tr data-op=\"").Append(Encode(op.Op)).Append("\"><td>").Append(Encode(op.Op)).Append("</td><td class=\"rate\">").Append(Rate(op.PerSecond))
                .Append("</td><td class=\"total\">").Append(Count(op.Total)).Append("</td><td>").Append(Count(op.Ok)).Append("</td><td>").Append(Count(op.Busy))
                .Append("</td><td>").Append(Count(op.Timeout)).Append("</td><td>").Append(Count(op.Failed)).Append("</td><td>").Append(Duration(op.ExecutionP50))
                .Append("</td><td>").Append(Duration(op.ExecutionP90)).Append("</td><td>").Append(Duration(op.ExecutionP99)).Append("</td><td>")
                .Append(Duration(op.QueueWaitP50)).Append("</td><td>").Append(Duration(op.QueueWaitP99)).Append("</td></tr>");
        }

        if (live.Ops.Count == 0)
        {
            html.Append("<tr><td colspan=\"12\">no requests yet</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendHistory(StringBuilder html, IReadOnlyList<double> rates)
    {
        const int width = 600, height = 90;
        var max = Math.Max(1, rates.Count == 0 ? 0 : rates.Max());
        html.Append("<h2>Requests/s, last ").Append(rates.Count).Append(" s (peak ").Append(Rate(max)).Append(")</h2>")
            .Append("<svg id=\"history\" width=\"").Append(width).Append("\" height=\"").Append(height).Append("\" role=\"img\" aria-label=\"requests per second\">")
            .Append("<polyline fill=\"none\" stroke=\"#2f6fb3\" stroke-width=\"2\" points=\"");
        var step = (double)width / Math.Max(1, LiveStats.HistorySeconds);
        var x = width - (rates.Count * step);
        foreach (var rate in rates)
        {
            x += step;
            html.Append(x.ToString("0.#", CultureInfo.InvariantCulture)).Append(',')
                .Append((height - 4 - (rate / max * (height - 8))).ToString("0.#", CultureInfo.InvariantCulture)).Append(' ');
        }

        html.Append("\"/></svg>");
    }

    private static void AppendConnections(StringBuilder html, StatusView view)
    {
        var live = view.Live;
        html.Append("<h2>Connections</h2><table id=\"fronts\"><tr><th>front</th><th>port</th><th>open</th><th>TLS port</th></tr>");
        foreach (var front in view.Fronts)
        {
            html.Append("<tr data-front=\"").Append(Encode(front.Name)).Append("\"><td>").Append(Encode(front.Name)).Append("</td><td>").Append(front.Port)
                .Append("</td><td class=\"open\">").Append(Count(front.Open)).Append("</td><td>")
                .Append(front.TlsPort == 0 ? "-" : front.TlsPort.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</table><p>Limit <b id=\"connection-limit\">").Append(Count(view.ConnectionLimit)).Append("</b> connections over all fronts; ")
            .Append(Count(view.Admitted)).Append(" hold a place now (handshakes included).</p><p>Since start: ").Append(Count(live.Accepted)).Append(" accepted, ").Append(Count(live.Rejected)).Append(" refused, ")
            .Append(Count(live.Closed)).Append(" closed, ").Append(Count(live.ProtocolErrors)).Append(" protocol errors; ")
            .Append(Bytes(live.BytesReceivedPerSecond)).Append("/s in, ").Append(Bytes(live.BytesSentPerSecond)).Append("/s out.</p>");
    }

    private static void AppendWorkers(StringBuilder html, StatusView view)
    {
        html.Append("<h2>Workers</h2><p>Strategy ").Append(Encode(view.Strategy)).Append(", ").Append(Count(view.QueueDepth)).Append(" queued, ")
            .Append(Count(view.BusyWorkers)).Append(" busy.</p>");
        if (view.ExecutedPerWorker.Count > 0)
        {
            html.Append("<table id=\"workers\"><tr><th>worker</th><th>executed</th></tr>");
            for (var i = 0; i < view.ExecutedPerWorker.Count; i++)
            {
                html.Append("<tr><td>").Append(i).Append("</td><td>").Append(Count(view.ExecutedPerWorker[i])).Append("</td></tr>");
            }

            html.Append("</table>");
        }
    }

    private static void Card(StringBuilder html, string id, string value, string label, string? cssClass = null)
    {
        html.Append("<div class=\"card\"><b id=\"").Append(id).Append('"');
        if (cssClass is not null)
        {
            html.Append(" class=\"").Append(Encode(cssClass)).Append('"');
        }

        html.Append('>').Append(value).Append("</b><span>").Append(label).Append("</span></div>");
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Rate(double value) => value.ToString(value < 100 ? "0.#" : "N0", CultureInfo.InvariantCulture);

    private static string Uptime(TimeSpan uptime) => uptime.ToString(uptime.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static string Bytes(double perSecond) => perSecond switch
    {
        >= 1 << 20 => (perSecond / (1 << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (perSecond / (1 << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => perSecond.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    private static string Duration(double seconds) => seconds switch
    {
        double.NaN => "–",
        <= 1e-6 => "≤1 µs",
        < 1e-3 => (seconds * 1e6).ToString("0", CultureInfo.InvariantCulture) + " µs",
        < 1 => (seconds * 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("0.##", CultureInfo.InvariantCulture) + " s",
    };
}
