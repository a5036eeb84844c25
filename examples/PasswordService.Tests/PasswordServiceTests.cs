using System.Buffers;
using System.Text;
using C10k.Client;
using C10k.Protocol.Native;
using C10k.Protocol.Typed;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace PasswordService.Tests;

/// <summary>The service over the wire: the C10k host with the password operations, every port on 127.0.0.1:0.</summary>
public sealed class PasswordServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private WebApplication? _app;
    private C10kClient? _client;

    private C10kClient Client => _client!;

    public async Task InitializeAsync()
    {
        _app = C10kServer.Build(
            ["--C10k:Native:Port=0", "--C10k:Resp:Port=0", "--C10k:Admin:Port=0", "--Logging:LogLevel:Default=Warning"],
            PasswordServer.Configure);
        await _app.StartAsync().WaitAsync(Timeout);
        var port = _app.Services.GetRequiredService<ServerEndpoints>().NativePort;
        _client = await C10kClient.ConnectAsync("127.0.0.1", port).WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await _app!.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task HashAtTheConfiguredCostThenVerifyOverTheNativeProtocol()
    {
        var hash = await CallAsync(HashPasswordOperation.Code, "correct horse battery staple");
        Assert.Equal(NativeStatus.Ok, hash.Status);
        Assert.StartsWith("pbkdf2-sha256$600000$", hash.Text, StringComparison.Ordinal);

        var match = await VerifyAsync("correct horse battery staple", hash.Text);
        var mismatch = await VerifyAsync("wrong", hash.Text);

        Assert.Equal((ReplyType.Integer, 1L), (match.Type, match.Number));
        Assert.Equal((ReplyType.Integer, 0L), (mismatch.Type, mismatch.Number));
    }

    [Fact]
    public async Task BadArgumentsAreRefusedWithAReasonBeforeAnyHashing()
    {
        var empty = await CallAsync(HashPasswordOperation.Code, "");
        var foreign = await CallAsync(VerifyPasswordOperation.Code, "pw", "$2b$12$bcrypt-is-not-ours");

        Assert.Equal(NativeStatus.BadArgs, empty.Status);
        Assert.Equal("password is empty", empty.Text);
        Assert.Equal(NativeStatus.BadArgs, foreign.Status);
        Assert.Equal(VerifyPasswordOperation.BadStoredHash, foreign.Text);
    }

    private Task<ReplyValue> VerifyAsync(string password, string stored) =>
        Client.CallAsync(VerifyPasswordOperation.Code, [Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(stored)]).WaitAsync(Timeout);

    private Task<NativeReply> CallAsync(ushort opcode, params string[] args)
    {
        var payload = new ArrayBufferWriter<byte>();
        foreach (var arg in args)
        {
            NativeArguments.Write(payload, Encoding.UTF8.GetBytes(arg));
        }

        return Client.SendAsync(opcode, payload.WrittenMemory).WaitAsync(Timeout);
    }
}
