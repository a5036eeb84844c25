using System.Buffers;
using System.Text;
using C10k.Protocol.Native;

namespace C10k.Client;

/// <summary>The connection's one reader: matches reply frames to pending calls by request id.</summary>
public sealed partial class C10kClient
{
    // Reads the pipe directly (no ProtocolReader: its per-read state machine was an allocation per reply) and completes every
    // reply already buffered before the next read.
    private async Task ReadLoopAsync()
    {
        var frames = new NativeFrameReader(_options.MaxReplyBytes);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var ended = CompleteReplies(frames, ref buffer);
                _input.AdvanceTo(buffer.Start, result.Buffer.End);
                if (ended)
                {
                    return;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    Fail(new C10kConnectionException("The server closed the connection."));
                    return;
                }
            }
        }
        catch (NativeProtocolException ex)
        {
            Fail(new C10kConnectionException($"The server sent an invalid frame ({ex.Error}).", ex));
        }
#pragma warning disable CA1031 // Whatever ends the loop must fail the pending calls, never leave them hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new C10kConnectionException("The connection was reset: " + ex.Message, ex));
        }
        finally
        {
            Shutdown();
        }
    }

    // True when the server ended the connection with a notice (request id 0).
    private bool CompleteReplies(NativeFrameReader frames, ref ReadOnlySequence<byte> buffer)
    {
        while (frames.TryRead(ref buffer, out var frame))
        {
            if (frame.RequestId == 0)
            {
                Fail(new C10kConnectionException($"The server closed the connection: {frame.Status} ({Encoding.UTF8.GetString(frame.Payload)})."));
                return true;
            }

            if (_pending.TryRemove(frame.RequestId, out var call))
            {
                call.Complete(frame); // copies the payload only for a caller that takes it
            }
        }

        return false;
    }
}
