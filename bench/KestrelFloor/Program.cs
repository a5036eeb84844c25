using System.Buffers;
using Microsoft.AspNetCore.Connections;

// The floor for bench/memory.sh: Kestrel's socket transport with a ConnectionHandler that answers every line with +PONG.
// Usage: C10k.Bench.KestrelFloor PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.ListenLocalhost(int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture), listen => listen.UseConnectionHandler<PongHandler>());
});
await builder.Build().RunAsync();

/// <summary>Answers +PONG to every line received.</summary>
internal sealed class PongHandler : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                output.Write("+PONG\r\n"u8);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || (await output.FlushAsync()).IsCompleted)
            {
                return;
            }
        }
    }
}
