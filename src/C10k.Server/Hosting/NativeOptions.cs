using System.ComponentModel.DataAnnotations;
using C10k.Protocol.Native;

namespace C10k.Server.Hosting;

/// <summary>Native front, section <c>C10k:Native</c>.</summary>
public sealed class NativeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "C10k:Native";

    /// <summary>TCP port of the native protocol. Default 7000; 0 picks a free port (the real one is logged).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 7000;

    /// <summary>
    /// TCP port of the native protocol over TLS (certificate from <c>C10k:Tls</c>), next to the plain port. Default -1 = no TLS
    /// listener; 0 picks a free port (the real one is logged as native-tls).
    /// </summary>
    [Range(-1, 65535)]
    public int TlsPort { get; set; } = -1;

    /// <summary>Largest request payload accepted, in bytes. Default 1 MiB: a larger announced length gets TOO_LARGE and a close before any buffering.</summary>
    [Range(16, 256 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = NativeProtocol.DefaultMaxFrameBytes;

    /// <summary>Most arguments in one request. Default 64: operations take few arguments.</summary>
    [Range(1, 1024 * 1024)]
    public int MaxArgs { get; set; } = 64;
}
