namespace C10k.Server.Security;

/// <summary>What an AUTH attempt came to.</summary>
internal enum AuthResult
{
    /// <summary>Authenticated.</summary>
    Ok,

    /// <summary>Redis's WRONGPASS: no such user, or not its password.</summary>
    WrongPassword,

    /// <summary>A bare <c>AUTH password</c> while no users are configured: Redis's "called without any password configured".</summary>
    NoPasswordConfigured,
}
