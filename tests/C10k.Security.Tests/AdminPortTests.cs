using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using C10k.Security.Tests.Support;
using C10k.Testing;

namespace C10k.Security.Tests;

public sealed class AdminPortTests
{
    [Fact]
    public async Task AdminPortListensOnLoopbackByDefaultAndOnTheConfiguredAddressOtherwise()
    {
        await using var byDefault = await TestServer.StartAsync();
        await using var moved = await TestServer.StartAsync(null, "Admin:BindAddress=127.0.0.2");

        Assert.True(await AcceptsAsync("127.0.0.1", byDefault.Port("admin")));
        Assert.False(await AcceptsAsync("127.0.0.2", byDefault.Port("admin")));
        Assert.True(await AcceptsAsync("127.0.0.2", moved.Port("admin")));
        Assert.False(await AcceptsAsync("127.0.0.1", moved.Port("admin")));
    }

    [Fact]
    public async Task TokenGuardsMetricsAndTheStatusPageButNotTheProbes()
    {
        await using var server = await TestServer.StartAsync(null, "Admin:Token=t0ken");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port("admin")}/"), Timeout = Timeouts.Socket };

        var anonymous = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer realm=\"c10k\"", anonymous.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, "metrics", new AuthenticationHeaderValue("Bearer", "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "metrics", new AuthenticationHeaderValue("Bearer", "t0ken"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "", new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:t0ken"u8)))).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    private static async Task<bool> AcceptsAsync(string address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), port).WaitAsync(Timeouts.Socket);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
