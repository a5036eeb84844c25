namespace C10k.LoadTesting.Targets;

/// <summary>One held connection to the system under test. Calls may overlap: implementations pipeline them.</summary>
public interface ITargetConnection : IAsyncDisposable
{
    /// <summary>False once the server closed or reset the connection.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Sends any command and completes with its reply: <paramref name="words"/>[0] is the command (on RESP its name; on the native
    /// protocol PING, ECHO, HASH, HELLO or an opcode such as <c>0x1001</c>), the rest its arguments. With
    /// <paramref name="captureValue"/> the reply's value is kept in <see cref="Response.Value"/> (for checks and saved variables).
    /// </summary>
    ValueTask<Response> ExecuteAsync(ReadOnlyMemory<byte>[] words, bool captureValue, CancellationToken cancellationToken);

    /// <summary>Sends PING and completes with its reply.</summary>
    ValueTask<Response> PingAsync(CancellationToken cancellationToken);

    /// <summary>Sends ECHO <paramref name="payload"/>.</summary>
    ValueTask<Response> EchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Sends HASH <paramref name="iterations"/> <paramref name="data"/> (ARCHITECTURE.md's reference CPU operation).</summary>
    ValueTask<Response> HashAsync(int iterations, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
