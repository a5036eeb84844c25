using System.Globalization;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Turns <c>C10k:Limits:MaxConnections = 0</c> into the limit that fits the process: RLIMIT_NOFILE minus a reserve for
/// listeners, the admin port, logs and the runtime's own descriptors. Every reader of <see cref="LimitsOptions"/> sees the
/// effective value; <see cref="Source"/> says where it came from, for the start log.
/// </summary>
internal sealed class ConnectionLimitDefault(Func<long?> descriptorLimit) : IPostConfigureOptions<LimitsOptions>
{
    /// <summary>Descriptors kept free of connections: listeners, the admin port's connections, log files, epoll, pipes.</summary>
    public const int Reserve = 512;

    /// <summary>The limit where RLIMIT_NOFILE can't be read (not Linux): the old per-front default.</summary>
    public const int Fallback = 16_000;

    public ConnectionLimitDefault()
        : this(DescriptorLimit.SoftLimit)
    {
    }

    /// <summary>"configured", or how the default was computed.</summary>
    public string Source { get; private set; } = "configured";

    /// <summary>True when the limit was configured and leaves fewer than <see cref="Reserve"/> descriptors free.</summary>
    public bool ExceedsDescriptors { get; private set; }

    /// <summary>RLIMIT_NOFILE as read at start, or null.</summary>
    public long? DescriptorLimitAtStart { get; private set; }

    public void PostConfigure(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var nofile = descriptorLimit();
        DescriptorLimitAtStart = nofile;
        if (options.MaxConnections > 0)
        {
            ExceedsDescriptors = nofile is { } limit && options.MaxConnections > limit - Reserve;
            return;
        }

        if (nofile is not { } soft)
        {
            options.MaxConnections = Fallback;
            Source = "default: RLIMIT_NOFILE unknown on this platform";
            return;
        }

        options.MaxConnections = (int)Math.Clamp(Math.Max(soft - Reserve, soft / 2), 1, 10_000_000);
        Source = string.Create(CultureInfo.InvariantCulture, $"default: RLIMIT_NOFILE {soft} - {Reserve}");
    }
}
