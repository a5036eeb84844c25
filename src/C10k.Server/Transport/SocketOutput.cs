using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace C10k.Server.Transport;

/// <summary>
/// A data connection's output: a <see cref="PipeWriter"/> straight over its non-blocking socket. Replies go into one rented
/// buffer; a flush sends them at once, and only what the socket does not take goes out asynchronously, the flush completing when
/// it has (TCP backpressure reaches the writer). The buffer goes back to the pool after each complete send, so an idle connection
/// holds none. A peer that is gone makes a flush complete with <see cref="FlushResult.IsCompleted"/>, as Kestrel's transport
/// does. One writer at a time, and no writes while a flush is pending (C10k's connection writer holds its turn across a flush).
/// </summary>
internal sealed class SocketOutput(Socket socket) : PipeWriter
{
    private const int MinimumBufferSize = 4096;
    private static readonly FlushResult s_gone = new(isCanceled: false, isCompleted: true);

    private byte[]? _buffer;
    private int _written;
    private Send? _send;
    private bool _peerGone;
    private bool _completed;
    private volatile bool _cancelRequested;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override void Advance(int bytes)
    {
        if (bytes < 0 || _buffer is null || _written + bytes > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory handed out.");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Room(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Room(sizeHint).AsSpan(_written);

    /// <summary>A pending flush completes with <see cref="FlushResult.IsCanceled"/> once its send is done (the bytes stay owed).</summary>
    public override void CancelPendingFlush() => _cancelRequested = true;

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        if (_send is null || !_send.Pending)
        {
            ReleaseBuffer();
            _send?.Dispose();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_peerGone)
        {
            _written = 0;
            return new(s_gone);
        }

        var sent = 0;
        while (sent < _written)
        {
            var count = socket.Send(_buffer!, sent, _written - sent, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return SendRest(sent);
            }

            if (error != SocketError.Success)
            {
                return new(Gone());
            }

            sent += count;
        }

        ReleaseBuffer();
        return new(Flushed());
    }

    private ValueTask<FlushResult> SendRest(int sent)
    {
        _send ??= new Send(this);
        _send.Start(_buffer!, sent, _written - sent);
        SendMore();
        return new(_send, _send.Version);
    }

    // Sends what is left of the pending flush until the socket takes it later, then completes the flush when all is sent.
    private void SendMore()
    {
        var send = _send!;
        while (true)
        {
            if (socket.SendAsync(send))
            {
                return;
            }

            if (!send.Advance())
            {
                break;
            }
        }

        send.Finish(send.SocketError == SocketError.Success ? Flushed() : Gone());
    }

    private FlushResult Flushed()
    {
        ReleaseBuffer();
        if (_cancelRequested)
        {
            _cancelRequested = false;
            return new(isCanceled: true, isCompleted: false);
        }

        return default;
    }

    private FlushResult Gone()
    {
        _peerGone = true;
        ReleaseBuffer();
        return s_gone;
    }

    private byte[] Room(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumBufferSize));
        }
        else if (_buffer.Length - _written < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _written);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer;
    }

    private void ReleaseBuffer()
    {
        _written = 0;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The asynchronous rest of a flush the socket did not take at once (made on the first such flush, then reused).</summary>
    private sealed class Send : SocketAsyncEventArgs, IValueTaskSource<FlushResult>
    {
        private readonly SocketOutput _output;
        private ManualResetValueTaskSourceCore<FlushResult> _core;

        public Send(SocketOutput output)
            : base(unsafeSuppressExecutionContextFlow: true) => _output = output;

        public bool Pending { get; private set; }

        public short Version => _core.Version;

        public void Start(byte[] buffer, int offset, int count)
        {
            _core.Reset();
            Pending = true;
            SetBuffer(buffer, offset, count);
        }

        /// <summary>After a send completed: true when bytes are left to send.</summary>
        public bool Advance()
        {
            if (SocketError != SocketError.Success || BytesTransferred >= Count)
            {
                return false;
            }

            SetBuffer(Offset + BytesTransferred, Count - BytesTransferred);
            return true;
        }

        public void Finish(FlushResult result)
        {
            Pending = false;
            SetBuffer(null, 0, 0);
            if (_output._completed)
            {
                _output.ReleaseBuffer();
                Dispose();
            }

            _core.SetResult(result);
        }

        public FlushResult GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            if (Advance())
            {
                _output.SendMore();
            }
            else
            {
                Finish(SocketError == SocketError.Success ? _output.Flushed() : _output.Gone());
            }
        }
    }
}
