using System.Buffers;
using C10k.Server.Connections;

namespace C10k.Server.Security;

/// <summary>One connection's authentication state, shared by the fronts' gates: unauthenticated until AUTH succeeds when users are configured.</summary>
internal abstract class AuthGate(Authenticator auth, Front front, string? remote)
{
    public bool IsAuthenticated { get; private set; } = !auth.IsRequired;

    /// <summary>Runs AUTH's check; the first success switches the connection to its authenticated limits.</summary>
    protected AuthResult Authenticate(in ReadOnlySequence<byte> user, bool userGiven, in ReadOnlySequence<byte> password)
    {
        var result = auth.Authenticate(front, user, userGiven, password, remote);
        if (result == AuthResult.Ok && !IsAuthenticated)
        {
            IsAuthenticated = true;
            OnAuthenticated();
        }

        return result;
    }

    /// <summary>Lifts the pre-authentication limits.</summary>
    protected abstract void OnAuthenticated();
}
