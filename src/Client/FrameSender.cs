using System.Buffers;
using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>
/// The connection's one writer. Callers encode into a staging buffer under a short lock; the first caller to find no send in
/// progress writes and flushes on its own thread, and takes along whatever others staged meanwhile (StackExchange.Redis's
/// try-acquire writer): no thread hop per call, one write per burst.
/// </summary>
internal sealed class FrameSender(Stream stream, Action<Exception> onFailure)
{
    private readonly Lock _lock = new();
    private ArrayBufferWriter<byte> _staged = new(1024);
    private ArrayBufferWriter<byte> _spare = new(1024);
    private Task _sending = Task.CompletedTask;
    private bool _isSending;
    private bool _stopped;

    /// <summary>The send in progress, if any (awaited on dispose).</summary>
    public Task Sending => Volatile.Read(ref _sending);

    /// <summary>Stages a request and starts sending unless a send is already running; false once stopped.</summary>
    public bool Send(ushort opcode, uint id, ReadOnlySpan<byte> payload, uint deadlineMs)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return false;
            }

            NativeFrameWriter.WriteRequest(_staged, opcode, id, payload, deadlineMs);
            if (_isSending)
            {
                return true;
            }

            _isSending = true;
        }

        Volatile.Write(ref _sending, SendStagedAsync());
        return true;
    }

    /// <summary>Stops sending: nothing staged after this goes out.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
        }
    }

    private async Task SendStagedAsync()
    {
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte> batch;
                lock (_lock)
                {
                    if (_staged.WrittenCount == 0 || _stopped)
                    {
                        _isSending = false;
                        return;
                    }

                    batch = _staged;
                    _staged = _spare;
                    _spare = batch;
                }

                await stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                batch.ResetWrittenCount();
            }
        }
#pragma warning disable CA1031 // Whatever ends the sender must fail the pending calls, never leave them hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _isSending = false;
            }

            onFailure(ex);
        }
    }
}
