using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace C10k.Server.Admin;

/// <summary>
/// <c>C10k:Admin:Token</c>: every admin request but <c>/healthz</c> and <c>/readyz</c> (probes carry no credentials) needs
/// <c>Authorization: Bearer &lt;token&gt;</c>, or HTTP Basic with the token as password so a browser can open the status page
/// (the admin routes apply it to <c>/metrics</c> and the status page only).
/// Compared in constant time; anything else gets 401 with both challenges.
/// </summary>
internal sealed class AdminToken
{
    private readonly byte[]? _expected;

    private AdminToken(byte[]? expected) => _expected = expected;

    /// <summary>The guard for <paramref name="token"/>; an empty token lets everything through.</summary>
    public static AdminToken Create(string token) => new(token.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Middleware for a branch (the Prometheus exporter's): 401 with both challenges unless authorized.</summary>
    public void Guard(IApplicationBuilder branch) => branch.Use((context, next) =>
    {
        if (Allows(context.Request))
        {
            return next(context);
        }

        Challenge(context.Response);
        return Task.CompletedTask;
    });

    /// <summary>Endpoint filter for a route handler (the status page): 401 with both challenges unless authorized.</summary>
    public ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        if (Allows(invocation.HttpContext.Request))
        {
            return next(invocation);
        }

        Challenge(invocation.HttpContext.Response);
        return ValueTask.FromResult<object?>(Results.Empty);
    }

    private static void Challenge(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = new(["Bearer realm=\"c10k\"", "Basic realm=\"c10k\", charset=\"UTF-8\""]);
    }

    private bool Allows(HttpRequest request) => _expected is null || IsAuthorized(request, _expected);

    private static bool IsAuthorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        string? candidate = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            candidate = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new byte[header.Length];
            if (Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var length))
            {
                var pair = Encoding.UTF8.GetString(decoded, 0, length);
                candidate = pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
        }

        return candidate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), expected);
    }
}
