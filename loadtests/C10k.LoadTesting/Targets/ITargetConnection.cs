namespace C10k.LoadTesting.Targets;

/// <summary>One held connection to the system under test. Calls may overlap: implementations pipeline them.</summary>
public interface ITargetConnection : IAsyncDisposable
{
    /// <summary>False once the server closed or reset the connection.</summary>
    bool IsOpen { get; }

    /// <summary>Sends PING and completes with its reply.</summary>
    ValueTask<Response> PingAsync(CancellationToken cancellationToken);

    /// <summary>Sends ECHO <paramref name="payload"/>.</summary>
    ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Sends HASH <paramref name="iterations"/> <paramref name="data"/> (ARCHITECTURE.md's reference CPU operation).</summary>
    ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
