using System.Buffers;
using System.Net.Sockets;

namespace C10k.Bench.ParkingFloor;

/// <summary>
/// A connection's whole state besides its <see cref="Socket"/>. It is also the connection's one socket operation: while the
/// connection is idle it waits in a zero-byte receive, which only says that bytes arrived. It then rents a buffer, reads
/// without blocking, answers <c>+PONG</c> per line and returns the buffer; a reply the client does not take at once is sent
/// asynchronously from a rented buffer, and the connection is not read until that send completes (TCP backpressure).
/// Only one operation is outstanding at a time, so nothing here needs a lock.
/// </summary>
internal sealed class ParkedConnection : SocketAsyncEventArgs, IThreadPoolWorkItem
{
    private const int ReadSize = 4096;

    /// <summary>Reads handled in one go before the connection yields its thread to others.</summary>
    private const int ReadsPerTurn = 16;

    private static readonly byte[] Pong = "+PONG\r\n"u8.ToArray();
    private static readonly int PongsPerWrite = ReadSize / Pong.Length;

    private readonly Socket _socket;
    private byte[]? _output;
    private long _owed;

    private ParkedConnection(Socket socket)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
        Completed += static (_, args) => ((ParkedConnection)args).OnCompleted();
    }

    /// <summary>Starts serving an accepted socket.</summary>
    public static void Start(Socket socket)
    {
        socket.Blocking = false;
        socket.NoDelay = true;
        new ParkedConnection(socket).Drive();
    }

    /// <inheritdoc />
    public void Execute() => Drive();

    private void OnCompleted()
    {
        if (SocketError != SocketError.Success)
        {
            Close();
        }
        else if (LastOperation == SocketAsyncOperation.Send && BytesTransferred < Count)
        {
            SetBuffer(Offset + BytesTransferred, Count - BytesTransferred);
            if (!_socket.SendAsync(this))
            {
                OnCompleted();
            }
        }
        else
        {
            Drive();
        }
    }

    /// <summary>Answers what is owed, reads what has arrived, and parks once the socket has nothing more.</summary>
    private void Drive()
    {
        for (var reads = 0; ; reads++)
        {
            if (_owed > 0 && !SendOwed())
            {
                return;
            }

            if (reads == ReadsPerTurn)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            var read = ReadAvailable();
            if (read == 0)
            {
                Close();
                return;
            }

            if (read < 0 && Park())
            {
                return;
            }
        }
    }

    /// <summary>Reads once into a rented buffer and counts the lines; returns the bytes read, 0 at EOF or on error, −1 when
    /// nothing is there.</summary>
    private int ReadAvailable()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var read = _socket.Receive(buffer, 0, ReadSize, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return -1;
            }

            _owed += buffer.AsSpan(0, read).Count((byte)'\n');
            return error == SocketError.Success ? read : 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends the owed replies; false when a send is left pending (its completion resumes the connection).</summary>
    private bool SendOwed()
    {
        _output ??= ArrayPool<byte>.Shared.Rent(PongsPerWrite * Pong.Length);
        while (_owed > 0)
        {
            var count = (int)Math.Min(_owed, PongsPerWrite);
            var length = count * Pong.Length;
            for (var at = 0; at < length; at += Pong.Length)
            {
                Pong.CopyTo(_output, at);
            }

            _owed -= count;
            var sent = _socket.Send(_output, 0, length, SocketFlags.None, out var error);
            if (error is not SocketError.Success and not SocketError.WouldBlock)
            {
                Close();
                return false;
            }

            if (sent < length)
            {
                SetBuffer(_output, sent, length - sent);
                if (!_socket.SendAsync(this))
                {
                    OnCompleted();
                }

                return false;
            }
        }

        ReturnOutput();
        return true;
    }

    /// <summary>Waits for bytes with no buffer held; false when they are already there.</summary>
    private bool Park()
    {
        SetBuffer(Memory<byte>.Empty);
        if (_socket.ReceiveAsync(this))
        {
            return true;
        }

        if (SocketError != SocketError.Success)
        {
            Close();
            return true;
        }

        return false;
    }

    private void ReturnOutput()
    {
        if (_output is { } output)
        {
            _output = null;
            SetBuffer(Memory<byte>.Empty);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private void Close()
    {
        ReturnOutput();
        _socket.Dispose();
        Dispose();
    }
}
