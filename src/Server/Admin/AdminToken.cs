using System.Security.Cryptography;
using System.Text;
using C10k.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Admin;

/// <summary>
/// <c>C10k:Admin:Token</c>: every admin request but <c>/healthz</c> and <c>/readyz</c> (probes carry no credentials) needs
/// <c>Authorization: Bearer &lt;token&gt;</c>, or HTTP Basic with the token as password so a browser can open the status page.
/// Compared in constant time; anything else gets 401 with both challenges.
/// </summary>
internal static class AdminToken
{
    public static WebApplication UseAdminToken(this WebApplication app)
    {
        var token = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Token;
        if (token.Length == 0)
        {
            return app;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value is "/healthz" or "/readyz" || IsAuthorized(context.Request, expected))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = new(["Bearer realm=\"c10k\"", "Basic realm=\"c10k\", charset=\"UTF-8\""]);
            return Task.CompletedTask;
        });
        return app;
    }

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
