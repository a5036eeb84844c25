namespace KeyValueStore;

/// <summary>
/// One request waiting for a store thread. It is claimed by the thread that runs it, or dropped when its token fires first:
/// never both, so a request cancelled while queued is never run, and one being run is answered with its result.
/// </summary>
internal abstract class StoreRequest
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Dropped = 2;

    private int _state;
    private CancellationTokenRegistration _registration;

    /// <summary>Takes the request for running; false when its token dropped it while it was queued.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Runs the request on <paramref name="connection"/> (on a store thread) and keeps its result for <see cref="Complete"/>.</summary>
    public abstract void Run(StoreConnection connection);

    /// <summary>Hands the result of <see cref="Run"/> to the awaiting operation (for a write: once its transaction is committed).</summary>
    public abstract void Complete();

    /// <summary>Fails the request: it was not run, or its transaction did not commit.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Drops the request when <paramref name="cancellationToken"/> fires while it is still queued.</summary>
    protected void Watch(CancellationToken cancellationToken) =>
        _registration = cancellationToken.UnsafeRegister(static (state, token) => ((StoreRequest)state!).Drop(token), this);

    /// <summary>Answers the awaiting operation with a cancellation.</summary>
    protected abstract void Cancel(CancellationToken cancellationToken);

    /// <summary>Stops watching the token once the request has its answer.</summary>
    protected void Unwatch() => _registration.Dispose();

    private void Drop(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Dropped, Queued) == Queued)
        {
            Cancel(cancellationToken);
        }
    }
}

/// <summary>A request whose answer is a <typeparamref name="T"/>, computed by <c>work</c> on a store thread.</summary>
internal sealed class StoreRequest<T> : StoreRequest
{
    // Continuations never run on a store thread (or on the thread that cancels): the operation resumes on the ThreadPool.
    private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<StoreConnection, T> _work;
    private T? _result;
    private Exception? _error;

    public StoreRequest(Func<StoreConnection, T> work, CancellationToken cancellationToken)
    {
        _work = work;
        Watch(cancellationToken);
    }

    /// <summary>Completes when the request has been run (and committed, for a write), dropped or failed.</summary>
    public Task<T> Answer => _answer.Task;

    public override void Run(StoreConnection connection)
    {
        try
        {
            _result = _work(connection);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // A failed statement undoes itself only: the rest of the batch goes on.
            _error = ex;
        }
    }

    public override void Complete()
    {
        Unwatch();
        if (_error is null)
        {
            _answer.TrySetResult(_result!);
        }
        else
        {
            _answer.TrySetException(_error);
        }
    }

    public override void Fail(Exception error)
    {
        Unwatch();
        _answer.TrySetException(error);
    }

    protected override void Cancel(CancellationToken cancellationToken) => _answer.TrySetCanceled(cancellationToken);
}
