using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace C10k.Testing;

/// <summary>
/// Keeps every log entry (event id and formatted message) for a test to read: a logger factory to hand a component, or a provider
/// to add to a host (<c>services.AddSingleton&lt;ILoggerProvider&gt;(logs)</c>).
/// </summary>
public sealed class CapturedLogs : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(int EventId, string Message)> Entries { get; } = new();

    /// <summary>The messages of event <paramref name="eventId"/>, in order.</summary>
    public IReadOnlyList<string> Of(int eventId) => [.. Entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(Entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
