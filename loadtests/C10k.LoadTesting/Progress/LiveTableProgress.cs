using System.Globalization;
using Spectre.Console;

namespace C10k.LoadTesting.Progress;

/// <summary>Live progress in a terminal: a Spectre.Console table redrawn once a second.</summary>
public sealed class LiveTableProgress : IProgressSink
{
    private readonly IAnsiConsole _console;
    private readonly Table _table = new Table().AddColumns("scenario", "elapsed", "rps", "p99 ms", "errors", "connections", "generator CPU");
    private readonly Lock _lock = new();
    private LiveDisplayContext? _context;

    /// <summary>Draws on <paramref name="console"/>.</summary>
    public LiveTableProgress(IAnsiConsole console) => _console = console;

    /// <summary>True when the console can redraw in place (a TTY with ANSI support); otherwise use <see cref="PlainLineProgress"/>.</summary>
    public static bool IsSupported(IAnsiConsole console) =>
        console is not null && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi && !Console.IsOutputRedirected;

    /// <summary>Shows the table while <paramref name="work"/> runs.</summary>
    public Task<T> ShowWhileAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _console.Live(_table).AutoClear(false).StartAsync(async context =>
        {
            lock (_lock)
            {
                _context = context;
            }

            return await work();
        });
    }

    /// <inheritdoc />
    public void Report(IReadOnlyList<ProgressSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        lock (_lock)
        {
            _table.Rows.Clear();
            foreach (var s in snapshots)
            {
                _table.AddRow(
                    Markup.Escape(s.Scenario),
                    F($"{s.Elapsed:hh\\:mm\\:ss}"),
                    F($"{s.Rps:N0}"),
                    F($"{s.P99Ms:F2}"),
                    s.Errors == 0 ? "0" : F($"[red]{s.Errors}[/]"),
                    F($"{s.Connections:N0}"),
                    F($"{s.GeneratorCpuPercent:F0}%"));
            }

            _context?.Refresh();
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
