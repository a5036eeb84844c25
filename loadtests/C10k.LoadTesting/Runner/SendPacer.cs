using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace C10k.LoadTesting.Runner;

/// <summary>
/// Wakes waiters at their due time on one dedicated thread, to within tens of microseconds: it sleeps coarsely while the next due
/// time is far, then precisely (nanosleep on Linux) for the last stretch.
/// Timers and <c>Task.Delay</c> have millisecond granularity and resume on the thread pool, so an open-model schedule of one request
/// every 100 µs woke up to a millisecond late in batches and spun through timers in between. A waiter that asks for it resumes on
/// this thread, so the request it sends leaves without a hop; a <see cref="Waiter"/> is reused for every wait of a schedule, so
/// pacing allocates nothing per request.
/// </summary>
internal sealed partial class SendPacer : IDisposable
{
    /// <summary>The pacer thread's nice value where the OS allows it (root, or CAP_SYS_NICE): on a busy machine CFS then wakes it first.</summary>
    private const int PacerNice = -10;

    private readonly PriorityQueue<(Waiter Waiter, short Token), long> _queue = new();
    private readonly object _gate = new(); // Monitor.Wait/Pulse need a monitor, not a System.Threading.Lock
    private readonly IPacerClock _clock;
    private readonly long _fineTicks;
    private readonly Thread _thread;
    private bool _stopped;

    public SendPacer()
        : this(SystemPacerClock.Instance)
    {
    }

    internal SendPacer(IPacerClock clock)
    {
        _clock = clock;
        _fineTicks = clock.Frequency / 500; // below 2 ms the pacer stops using Monitor.Wait (millisecond granularity) and sleeps precisely
        _thread = new Thread(Run) { IsBackground = true, Name = "c10k-load pacer", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>A reusable waiter: one per schedule, awaited once per due time; dispose it when the schedule ends.</summary>
    /// <param name="resumeOnPacer">Continuations run on the pacer thread (otherwise on the thread pool).</param>
    /// <param name="cancellationToken">Cancels the wait in progress, and every later one, with <see cref="OperationCanceledException"/>.</param>
    public Waiter CreateWaiter(bool resumeOnPacer, CancellationToken cancellationToken) => new(this, resumeOnPacer, cancellationToken);

    /// <summary>Completes at <paramref name="dueTimestamp"/> (a <see cref="Stopwatch"/> timestamp); continuations run on the pacer thread when <paramref name="resumeOnPacer"/>.</summary>
    public async Task WaitUntilAsync(long dueTimestamp, bool resumeOnPacer, CancellationToken cancellationToken)
    {
        using var waiter = CreateWaiter(resumeOnPacer, cancellationToken);
        // Not on the caller's context (a test runner's runs continuations on several threads): due order is the pacer's.
        await waiter.WaitUntilAsync(dueTimestamp).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.Pulse(_gate);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(); // a run that ends on the pacer's own thread (a continuation it resumed) just lets the loop exit
        }

        while (_queue.TryDequeue(out var entry, out _))
        {
            entry.Waiter.TryComplete(entry.Token, cancelled: true);
        }
    }

    /// <summary>Queues a wait; false once the pacer stopped.</summary>
    private bool Enqueue(Waiter waiter, short token, long dueTimestamp)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            var earliest = !_queue.TryPeek(out _, out var first) || dueTimestamp < first;
            _queue.Enqueue((waiter, token), dueTimestamp);
            if (earliest)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    private void Run()
    {
        if (OperatingSystem.IsLinux())
        {
            // On Linux the nice value is per thread, and PRIO_PROCESS with who = 0 means the calling thread; refused without privileges.
            // (A 1 µs timer slack instead of the default 50 µs halved the send-lag p50 but cost 9–11 % of a core in wake-ups: not set.)
            _ = SetPriority(0, 0, PacerNice);
        }

        while (true)
        {
            (Waiter Waiter, short Token) ready = default;
            long remaining;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                if (!_queue.TryPeek(out var next, out var due))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                remaining = due - _clock.GetTimestamp();
                if (remaining > _fineTicks)
                {
                    _clock.WaitCoarse(_gate, remaining - _fineTicks);
                    continue;
                }

                if (remaining <= 0 || !next.Waiter.IsWaiting(next.Token))
                {
                    ready = _queue.Dequeue();
                }
            }

            if (ready.Waiter is null)
            {
                _clock.SleepFine(remaining); // a waiter added meanwhile with an earlier time is at most this late
                continue;
            }

            ready.Waiter.TryComplete(ready.Token, cancelled: false);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    /// <summary>
    /// Waits of one schedule, one at a time, without allocating: a value-task source reset for each wait. Cancellation is registered
    /// once, for the waiter's life; a wait completes exactly once, by its due time or by cancellation, whichever comes first.
    /// </summary>
    public sealed class Waiter : IValueTaskSource, IDisposable
    {
        private readonly SendPacer _pacer;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenRegistration _registration;
        private ManualResetValueTaskSourceCore<bool> _core;
        private int _waiting;

        internal Waiter(SendPacer pacer, bool resumeOnPacer, CancellationToken cancellationToken)
        {
            _pacer = pacer;
            _cancellationToken = cancellationToken;
            _core.RunContinuationsAsynchronously = !resumeOnPacer;
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(static w => ((Waiter)w!).Cancel(), this);
            }
        }

        /// <summary>Completes at <paramref name="dueTimestamp"/>; await it before the next call.</summary>
        public ValueTask WaitUntilAsync(long dueTimestamp)
        {
            _core.Reset();
            var token = _core.Version;
            Volatile.Write(ref _waiting, 1);
            if (_cancellationToken.IsCancellationRequested || !_pacer.Enqueue(this, token, dueTimestamp))
            {
                TryComplete(token, cancelled: true);
            }

            return new ValueTask(this, token);
        }

        public void Dispose() => _registration.Dispose();

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        internal bool IsWaiting(short token) => Volatile.Read(ref _waiting) == 1 && _core.Version == token;

        /// <summary>Completes wait <paramref name="token"/> unless it already completed (a queue entry left by a cancelled wait is skipped).</summary>
        internal void TryComplete(short token, bool cancelled)
        {
            if (_core.Version != token || Interlocked.Exchange(ref _waiting, 0) == 0)
            {
                return;
            }

            if (cancelled)
            {
                _core.SetException(new OperationCanceledException(_cancellationToken));
            }
            else
            {
                _core.SetResult(true);
            }
        }

        private void Cancel()
        {
            if (Interlocked.Exchange(ref _waiting, 0) == 1)
            {
                _core.SetException(new OperationCanceledException(_cancellationToken));
            }
        }
    }
}
