using System.IO.Pipelines;
using System.Net.Sockets;

namespace C10k.Server.Transport;

/// <summary>
/// A data connection's input: a <see cref="PipeReader"/> straight over its non-blocking socket. Bytes are read only when the
/// handler asks for more than it has (at most <c>limit</c> unconsumed, then no more until it consumes), into one rented buffer
/// that goes back to the pool whenever everything is consumed. With nothing to read it waits in a zero-byte receive, which holds
/// no buffer: an idle connection keeps only this object and its <see cref="SocketAsyncEventArgs"/>. One lock (the event args)
/// orders the reader, <see cref="CancelPendingRead"/> and the receive's completion; a pending read is completed outside it.
/// </summary>
internal sealed partial class SocketInput : PipeReader, IDisposable
{
    private const int MinimumReadSize = 4096;

    private readonly Socket _socket;
    private readonly int _limit;
    private readonly Wait _wait;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private bool _eof;
    private bool _cancelRequested;
    private bool _completed;
    private bool _waiting;
    private bool _receiveOutstanding;
    private bool _drained;
    private Exception? _error;

    public SocketInput(Socket socket, int limit)
    {
        _socket = socket;
        _limit = limit;
        _wait = new Wait(this);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ReadResult>(cancellationToken);
        }

        lock (_wait)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            switch (Next(out var result))
            {
                case Step.Result:
                    return new(result);
                case Step.Failed:
                    return ValueTask.FromException<ReadResult>(_error!);
            }

            _waiting = true;
            _wait.Reset();

            // Under the lock: the read cannot complete before its token is registered, so no registration outlives its read.
            if (cancellationToken.CanBeCanceled)
            {
                _wait.CancelOn(cancellationToken);
            }
        }

        return new(_wait, _wait.Version);
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_wait)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (_error is { } error && _end == _start)
            {
                throw error;
            }

            return TryTake(out result);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_wait)
        {
            if (_buffer is null)
            {
                return;
            }

            var start = consumed.GetInteger();
            var seen = examined.GetInteger();
            if (start < _start || start > _end || seen < start || seen > _end)
            {
                throw new InvalidOperationException("AdvanceTo was given positions outside the last buffer read.");
            }

            _start = start;
            _examined = seen;
            ReleaseIfEmpty();
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult result;
        lock (_wait)
        {
            if (!_waiting)
            {
                _cancelRequested = true;
                return;
            }

            _waiting = false;
            result = Result(isCanceled: true);
        }

        _wait.Complete(result, null);
    }

    /// <summary>Same as <see cref="Complete"/>.</summary>
    public void Dispose() => Complete();

    public override void Complete(Exception? exception = null)
    {
        lock (_wait)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            ReleaseBuffer();
            if (!_receiveOutstanding)
            {
                _wait.Dispose();
            }
        }
    }

    // Under the lock. A result to return now: a cancel asked for, bytes not yet examined, the end of input, or fresh bytes read
    // without blocking. False when the socket has nothing yet (or the unconsumed bytes are at the limit).
    private bool TryTake(out ReadResult result)
    {
        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = Result(isCanceled: true);
            return true;
        }

        if (_end > _examined || _eof)
        {
            result = Result(isCanceled: false);
            return true;
        }

        result = default;
        if (_error is not null || _end - _start >= _limit)
        {
            return false;
        }

        // The last read left room unfilled, so the socket was empty then: the zero-byte receive asks whether anything came
        // since (and waits if not) with one syscall, where a read here would spend one more on an EAGAIN first.
        if (_drained)
        {
            ReleaseIfEmpty();
            return false;
        }

        var room = Room().Span;
        var read = _socket.Receive(room, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            ReleaseIfEmpty();
            return false;
        }

        if (error != SocketError.Success)
        {
            _error = TransportErrors.Map(error);
            return false;
        }

        _end += read;
        _eof = read == 0;
        _drained = read < room.Length;
        result = Result(isCanceled: false);
        return true;
    }

    // Under the lock, for a read: a result there now, the error to raise, or a wait, which the zero-byte receive (started here
    // unless one is out) or, with the unconsumed bytes at the limit, only a cancel ends.
    private Step Next(out ReadResult result)
    {
        while (true)
        {
            if (TryTake(out result))
            {
                return Step.Result;
            }

            if (_error is not null)
            {
                return Step.Failed;
            }

            if (_receiveOutstanding || _end - _start >= _limit)
            {
                return Step.Waiting;
            }

            _receiveOutstanding = true;
            if (_socket.ReceiveAsync(_wait))
            {
                return Step.Waiting;
            }

            _receiveOutstanding = false;
            _drained = false;
            if (_wait.SocketError != SocketError.Success)
            {
                _error ??= TransportErrors.Map(_wait.SocketError);
            }
        }
    }

    // The zero-byte receive completed: bytes arrived, the peer closed, or the socket failed.
    private void OnReceived()
    {
        ReadResult result;
        Exception? error;
        lock (_wait)
        {
            _receiveOutstanding = false;
            _drained = false;
            if (_wait.SocketError != SocketError.Success)
            {
                _error ??= TransportErrors.Map(_wait.SocketError);
            }

            if (_completed)
            {
                _wait.Dispose();
                return;
            }

            if (!_waiting)
            {
                return;
            }

            var step = Next(out result);
            if (step == Step.Waiting)
            {
                return;
            }

            _waiting = false;
            error = step == Step.Failed ? _error : null;
        }

        _wait.Complete(result, error);
    }

    private enum Step
    {
        Result,
        Failed,
        Waiting,
    }
}
