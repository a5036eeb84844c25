using C10k.Client;

namespace C10k.LoadTesting.Targets.Native;

/// <summary>
/// Adapts <see cref="C10kClient"/> (which throws on failure) to <see cref="Response"/>s. Byte counts are computed from frame sizes
/// (16-byte header plus payload) because the client does not expose its socket counters.
/// </summary>
internal sealed class NativeConnection(C10kClient client, Measurement.TrafficCounters traffic, Action onLost) : ITargetConnection
{
    private const int HeaderBytes = 16;
    private const int ArgumentLengthBytes = 4;
    private int _closed;
    private int _disposing;

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public ValueTask<Response> PingAsync(CancellationToken cancellationToken) =>
        CallAsync(HeaderBytes, async () => (await client.PingAsync(cancellationToken)).Length);

    public ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        CallAsync(HeaderBytes + ArgumentLengthBytes + payload.Length, async () => (await client.EchoAsync(payload, cancellationToken)).Length);

    public ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        CallAsync(HeaderBytes + (2 * ArgumentLengthBytes) + 10 + data.Length, async () => (await client.HashAsync(iterations, data, 0, cancellationToken)).Length);

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposing, 1);
        await client.DisposeAsync();
    }

    private async ValueTask<Response> CallAsync(int requestBytes, Func<Task<int>> call)
    {
        try
        {
            traffic.Add(0, requestBytes);
            var replyBytes = await call();
            traffic.Add(HeaderBytes + replyBytes, 0);
            return Response.Ok(HeaderBytes + replyBytes);
        }
        catch (C10kStatusException e)
        {
            return Response.Fail(e.Status.ToString());
        }
        catch (C10kConnectionException)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0 && Volatile.Read(ref _disposing) == 0)
            {
                onLost();
            }

            return Response.Fail("closed");
        }
        catch (TimeoutException)
        {
            return Response.Fail("timeout");
        }
    }
}
