using C10k.Server.Dispatch;
using Microsoft.Extensions.Logging;

namespace C10k.Server.Diagnostics;

/// <summary>Worker pool events (ids 200–299); the per-request ones (201–203) are rate-limited per event id, at most 10 a second.</summary>
internal static partial class WorkerLog
{
    public const int OperationFailedId = 201;

    public const int QueueFullId = 202;

    public const int WorkerFaultId = 203;

    [LoggerMessage(200, LogLevel.Information, "Dispatch strategy {Strategy}: {Workers} workers, queue bound {MaxQueued}, scheduling {Scheduling}, nice {Nice}")]
    public static partial void Started(ILogger logger, WorkerStrategy strategy, int workers, int maxQueued, WorkerScheduling scheduling, int nice);

    [LoggerMessage(OperationFailedId, LogLevel.Error, "Operation {Operation} threw; the request got an ERROR reply ({Suppressed} similar messages suppressed before this one)")]
    public static partial void OperationFailed(ILogger logger, string operation, long suppressed, Exception exception);

    [LoggerMessage(WorkerFaultId, LogLevel.Error, "A worker caught a fault handling {Operation}; the worker goes on ({Suppressed} similar messages suppressed before this one)")]
    public static partial void WorkerFault(ILogger logger, string operation, long suppressed, Exception exception);

    [LoggerMessage(QueueFullId, LogLevel.Warning, "Worker queue full ({MaxQueued} requests): {Operation} answered BUSY ({Suppressed} similar messages suppressed before this one)")]
    public static partial void QueueFull(ILogger logger, int maxQueued, string operation, long suppressed);
}
