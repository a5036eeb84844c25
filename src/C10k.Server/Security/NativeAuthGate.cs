using System.Buffers;
using C10k.Protocol.Native;
using C10k.Server.Connections;

namespace C10k.Server.Security;

/// <summary>
/// One native connection's authentication (docs/protocol.md, "Authentication"): until an AUTH request succeeds, only HELLO and AUTH
/// run, every other request is answered UNAUTHENTICATED without running (the connection stays open), and frames are held to
/// 16 KiB (a larger one gets TOO_LARGE and a close). AUTH itself always runs here, authenticated or not.
/// </summary>
internal sealed class NativeAuthGate : AuthGate
{
    /// <summary>Largest frame before authentication, as Redis's 16 KiB bulk limit for unauthenticated clients.</summary>
    public const int UnauthenticatedMaxFrameBytes = 16 * 1024;

    private readonly int _maxFrameBytes;

    public NativeAuthGate(Authenticator auth, int maxFrameBytes, string? remote)
        : base(auth, Front.Native, remote)
    {
        _maxFrameBytes = maxFrameBytes;
        Frames = new NativeFrameReader(IsAuthenticated ? maxFrameBytes : Math.Min(UnauthenticatedMaxFrameBytes, maxFrameBytes));
    }

    /// <summary>The frame reader for the connection's next frame: the pre-auth size limit until authenticated.</summary>
    public NativeFrameReader Frames { get; private set; }

    /// <summary>
    /// Answers <paramref name="frame"/> when it is AUTH, or any request but HELLO before authentication; false leaves it to the
    /// connection. <paramref name="status"/> is the status written.
    /// </summary>
    public bool TryHandle(in NativeFrame frame, IBufferWriter<byte> output, out NativeStatus status)
    {
        if (frame.Opcode != NativeOpcodes.Auth)
        {
            status = NativeStatus.Unauthenticated;
            if (IsAuthenticated || frame.Opcode == NativeOpcodes.Hello)
            {
                return false;
            }

            NativeFrameWriter.WriteReply(output, frame.Opcode, frame.RequestId, status, "authentication required"u8);
            return true;
        }

        if (frame.IsReply || !NativeArguments.TryParse(frame.Payload, 2, out var args) || args.Count == 0)
        {
            status = NativeStatus.BadArgs;
            NativeFrameWriter.WriteReply(output, frame.Opcode, frame.RequestId, status, "AUTH takes a password, or a user name and a password"u8);
            return true;
        }

        var result = args.Count == 1 ? Authenticate(default, userGiven: false, args[0]) : Authenticate(args[0], userGiven: true, args[1]);
        status = result switch
        {
            AuthResult.Ok => NativeStatus.Ok,
            AuthResult.NoPasswordConfigured => NativeStatus.Error,
            _ => NativeStatus.Unauthenticated,
        };
        var message = result switch
        {
            AuthResult.Ok => "OK"u8,
            AuthResult.NoPasswordConfigured =>
                "AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"u8,
            _ => "invalid username-password pair or user is disabled."u8,
        };
        NativeFrameWriter.WriteReply(output, frame.Opcode, frame.RequestId, status, message);
        return true;
    }

    protected override void OnAuthenticated() => Frames = new NativeFrameReader(_maxFrameBytes);
}
