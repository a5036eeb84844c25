using System.Buffers;
using System.Text;
using C10k.Protocol;

namespace C10k.Server.Operations;

/// <summary>
/// A stateless request handler: a pure function from arguments to a reply. Built-ins and applications register
/// operations through the same public API (<see cref="OperationRegistry"/>); any front, any worker may run any request.
/// </summary>
public abstract class Operation
{
    /// <summary>Creates an operation.</summary>
    /// <param name="name">Command name on RESP (case-insensitive, ASCII).</param>
    /// <param name="opcode">Opcode on the native protocol.</param>
    /// <param name="placement">Where it runs.</param>
    /// <param name="minArgs">Fewest arguments (not counting the name).</param>
    /// <param name="maxArgs">Most arguments.</param>
    protected Operation(string name, ushort opcode, OperationPlacement placement, int minArgs, int maxArgs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(minArgs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArgs, minArgs);
        if (!Ascii.IsValid(name) || name.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("Operation names are ASCII words.", nameof(name));
        }

        Name = name.ToUpperInvariant();
        NameBytes = Encoding.ASCII.GetBytes(Name);
        MetricName = Name.ToLowerInvariant();
        Opcode = opcode;
        Placement = placement;
        MinArgs = minArgs;
        MaxArgs = maxArgs;
    }

    /// <summary>Upper-case name.</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> as ASCII bytes, for matching names off the wire without strings.</summary>
    public ReadOnlyMemory<byte> NameBytes { get; }

    /// <summary>Lower-case name used as the bounded <c>op</c> metric tag.</summary>
    public string MetricName { get; }

    /// <summary>Native opcode.</summary>
    public ushort Opcode { get; }

    /// <summary>Where requests of this operation run.</summary>
    public OperationPlacement Placement { get; }

    /// <summary>Fewest arguments.</summary>
    public int MinArgs { get; }

    /// <summary>Most arguments.</summary>
    public int MaxArgs { get; }

    /// <summary>
    /// Checks the arguments (count already checked) and estimates the cost of running them, in the operation's own units
    /// (HASH: iterations). Must be cheap: it runs on the I/O thread. On false, <paramref name="message"/> is the message for the client.
    /// </summary>
    public virtual bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = 1;
        message = null;
        return true;
    }

    /// <summary>
    /// True when the reply to <paramref name="args"/> is a short status line rather than data (RESP sends it as a simple string,
    /// <c>+PONG</c>, instead of a bulk string; the native front sends the same payload either way).
    /// </summary>
    public virtual bool RepliesWithStatusLine(in ArgumentList args) => false;

    /// <summary>
    /// Runs the request and writes the reply payload. Throwing yields an ERROR reply; the connection survives.
    /// On the worker pool, <paramref name="cancellationToken"/> fires when the request's deadline passes, its connection
    /// closes, or a drain times out: a long operation checks it now and then (HASH: every 4,096 iterations) and throws
    /// <see cref="OperationCanceledException"/>; the client then gets CANCELLED (a request stopped while running, unlike
    /// TIMEOUT, which means not executed). Inline requests get <see cref="CancellationToken.None"/>: they are cheap by placement.
    /// </summary>
    public abstract void Execute(in ArgumentList args, IBufferWriter<byte> reply, CancellationToken cancellationToken);
}
