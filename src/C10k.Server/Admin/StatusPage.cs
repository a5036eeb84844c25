using C10k.Server.Connections;
using C10k.Server.Diagnostics;
using C10k.Server.Dispatch;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace C10k.Server.Admin;

/// <summary>Gathers the server's live state into a <see cref="StatusView"/> and answers the status page's two requests.</summary>
internal sealed class StatusPage(
    LiveStats stats,
    Readiness readiness,
    ConnectionRegistry registry,
    ConnectionGate gate,
    CommandDispatcher dispatcher,
    ServerEndpoints endpoints,
    IOptions<AdminOptions> options)
{
    public Task WritePageAsync(HttpContext context) => WriteAsync(context, StatusPageHtml.Page(Capture(), options.Value.StatusRefreshMs));

    public Task WritePanelAsync(HttpContext context) => WriteAsync(context, StatusPageHtml.Panel(Capture()));

    public StatusView Capture()
    {
        var fronts = Enum.GetValues<Front>()
            .Select(front => (front, name: C10kMetrics.FrontTag(front)))
            .Where(f => endpoints.Port(f.name) != 0)
            .Select(f => new FrontView(f.name, endpoints.Port(f.name), endpoints.Port(f.name + "-tls"), registry.OpenConnections(f.front)))
            .ToList();
        return new StatusView(
            readiness.State,
            fronts,
            gate.MaxConnections,
            gate.Open,
            registry.InFlight,
            dispatcher.Strategy.ToString(),
            dispatcher.QueueDepth,
            dispatcher.BusyWorkers,
            dispatcher.ExecutedPerWorker,
            stats.Report());
    }

    private static Task WriteAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
