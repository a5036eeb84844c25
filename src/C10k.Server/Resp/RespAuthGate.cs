using System.Buffers;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;
using C10k.Server.Security;

namespace C10k.Server.Resp;

/// <summary>
/// One RESP connection's authentication, as Redis 7: until AUTH (or HELLO … AUTH) succeeds, only AUTH, HELLO and QUIT run, every
/// other command gets <c>-NOAUTH Authentication required.</c>, and requests are held to 10 elements and 16 KiB bulks (over them:
/// <c>-ERR Protocol error: unauthenticated …</c>, then close). AUTH itself always runs here, authenticated or not.
/// </summary>
internal sealed class RespAuthGate : AuthGate
{
    private readonly RespLimits _limits;

    public RespAuthGate(Authenticator auth, RespLimits limits, string? remote)
        : base(auth, Front.Resp, remote)
    {
        _limits = limits;
        Reader = new RespRequestReader(IsAuthenticated ? limits : RespLimits.Unauthenticated(limits));
    }

    public static ReadOnlySpan<byte> NoAuth => "NOAUTH Authentication required."u8;

    public static ReadOnlySpan<byte> WrongPass => "WRONGPASS invalid username-password pair or user is disabled."u8;

    public static ReadOnlySpan<byte> NoPasswordConfigured =>
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"u8;

    public static ReadOnlySpan<byte> HelloNoAuth =>
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"u8;

    /// <summary>The request reader for the connection's next request: the pre-auth limits until authenticated.</summary>
    public RespRequestReader Reader { get; private set; }

    /// <summary>True when this gate answers <paramref name="request"/> (<see cref="Handle"/>) instead of the command table.</summary>
    public bool Intercepts(in RespRequest request) =>
        request.Command == RespCommand.Auth || (!IsAuthenticated && request.Command is not (RespCommand.Hello or RespCommand.Quit));

    /// <summary>Answers an intercepted request: AUTH, or NOAUTH for anything else before authentication.</summary>
    public NativeStatus Handle(in RespRequest request, IBufferWriter<byte> output)
    {
        if (request.Command != RespCommand.Auth)
        {
            RespErrors.Write(output, NoAuth);
            return NativeStatus.Unauthenticated;
        }

        var args = request.Arguments;
        switch (args.Count)
        {
            case 0:
                RespErrors.WriteWrongArity(output, "auth");
                return NativeStatus.BadArgs;
            case > 2:
                RespErrors.Write(output, "ERR syntax error"u8);
                return NativeStatus.BadArgs;
            case 1:
                return Answer(Authenticate(default, userGiven: false, args[0]), output);
            default:
                return Answer(Authenticate(args[0], userGiven: true, args[1]), output);
        }
    }

    /// <summary>HELLO's AUTH option: true when authenticated; otherwise WRONGPASS is written.</summary>
    public bool TryAuthenticate(in ReadOnlySequence<byte> user, in ReadOnlySequence<byte> password, IBufferWriter<byte> output)
    {
        if (Authenticate(user, userGiven: true, password) == AuthResult.Ok)
        {
            return true;
        }

        RespErrors.Write(output, WrongPass);
        return false;
    }

    private static NativeStatus Answer(AuthResult result, IBufferWriter<byte> output)
    {
        switch (result)
        {
            case AuthResult.Ok:
                output.Write(RespReplyWriter.Ok);
                return NativeStatus.Ok;
            case AuthResult.NoPasswordConfigured:
                RespErrors.Write(output, NoPasswordConfigured);
                return NativeStatus.Error;
            default:
                RespErrors.Write(output, WrongPass);
                return NativeStatus.Unauthenticated;
        }
    }

    protected override void OnAuthenticated() => Reader = new RespRequestReader(_limits);
}
