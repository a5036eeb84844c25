using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace C10k.Server.Connections;

/// <summary>
/// Where a read loop that used up its turn waits for the next: the loops of clients that send without pause (floods, bulk
/// pipelining) take turns here one at a time, through a single ThreadPool work item that runs one waiting loop per dispatch and
/// then queues itself again, behind whatever arrived meanwhile. So however many such clients there are, the ThreadPool's queue
/// holds at most one of their turns, and a new connection or a woken idle one waits for one turn, not for all of them.
/// </summary>
internal sealed class TurnQueue : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Action> _waiting = new();
    private int _scheduled;

    /// <summary>Waits for the loop's next turn: <c>await turns.Next();</c>.</summary>
    public Awaitable Next() => new(this);

    void IThreadPoolWorkItem.Execute()
    {
        if (_waiting.TryDequeue(out var next))
        {
            next();
        }

        Volatile.Write(ref _scheduled, 0);
        if (!_waiting.IsEmpty)
        {
            Schedule();
        }
    }

    private void Enqueue(Action continuation)
    {
        _waiting.Enqueue(continuation);
        Schedule();
    }

    private void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The awaitable of <see cref="Next"/>: never complete at once; the continuation runs on its turn.</summary>
    public readonly struct Awaitable(TurnQueue queue) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public Awaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => queue.Enqueue(continuation);

        public void UnsafeOnCompleted(Action continuation) => queue.Enqueue(continuation);
    }
}
