using System.Buffers;
using System.Globalization;
using C10k.Protocol;
using C10k.Protocol.Typed;
using C10k.Server.Operations;

namespace MemcachedFront;

/// <summary>
/// The store's commands as C10k operations, one per memcached command: the memcached front runs them, and so does any RESP or
/// native client (<c>MC.SET key flags exptime data</c>, <c>MC.GET key…</c>). Their replies are typed and carry memcached's words
/// (<c>+STORED</c>, <c>-SERVER_ERROR out of memory storing object</c>), which the memcached front writes as its reply lines.
/// All are cheap (a few dictionary operations under a lock), so they run inline.
/// </summary>
public static class MemcachedOpcodes
{
    /// <summary><c>MC.SET</c>: opcodes of the family follow, in the order of the names below.</summary>
    public const ushort Set = 0x1301;

    /// <summary>Every operation's name, opcode and kind.</summary>
    internal static readonly (string Name, ushort Code, StoreMode Mode)[] Storage =
    [
        ("MC.SET", Set, StoreMode.Set),
        ("MC.ADD", 0x1302, StoreMode.Add),
        ("MC.REPLACE", 0x1303, StoreMode.Replace),
        ("MC.APPEND", 0x1304, StoreMode.Append),
        ("MC.PREPEND", 0x1305, StoreMode.Prepend),
        ("MC.CAS", 0x1306, StoreMode.Cas),
    ];

    /// <summary><c>MC.GET key…</c>.</summary>
    public const ushort Get = 0x1307;

    /// <summary><c>MC.GETS key…</c>.</summary>
    public const ushort Gets = 0x1308;

    /// <summary><c>MC.DELETE key</c>.</summary>
    public const ushort Delete = 0x1309;

    /// <summary><c>MC.INCR key delta</c>.</summary>
    public const ushort Incr = 0x130A;

    /// <summary><c>MC.DECR key delta</c>.</summary>
    public const ushort Decr = 0x130B;

    /// <summary><c>MC.TOUCH key exptime</c>.</summary>
    public const ushort Touch = 0x130C;

    /// <summary><c>MC.FLUSH_ALL [delay]</c>.</summary>
    public const ushort FlushAll = 0x130D;

    /// <summary>Most keys one get takes (a memcached line of at most 8 KiB holds fewer).</summary>
    public const int MaxKeys = 4096;

    /// <summary>The key argument as one span (validated first: at most 250 bytes).</summary>
    internal static ReadOnlySpan<byte> Key(in ReadOnlySequence<byte> key, Span<byte> scratch)
    {
        if (key.IsSingleSegment)
        {
            return key.FirstSpan;
        }

        key.CopyTo(scratch);
        return scratch[..(int)key.Length];
    }
}

/// <summary>
/// <c>MC.SET|ADD|REPLACE|APPEND|PREPEND key flags exptime data</c> and <c>MC.CAS key flags exptime data unique</c>: <c>STORED</c>,
/// <c>NOT_STORED</c>, <c>EXISTS</c> or <c>NOT_FOUND</c> as a simple string; a store over the bounds is a <c>SERVER_ERROR</c> error.
/// </summary>
public sealed class StorageOperation(string name, ushort code, StoreMode mode, MemcachedStore store)
    : TypedOperation(name, code, OperationPlacement.Inline, mode == StoreMode.Cas ? 5 : 4, mode == StoreMode.Cas ? 5 : 4)
{
    /// <inheritdoc />
    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = 1;
        var valid = MemcachedSyntax.IsKey(args[0]) && MemcachedSyntax.TryParseFlags(args[1], out _) && MemcachedSyntax.TryParseInt32(args[2], out _)
            && (mode != StoreMode.Cas || MemcachedSyntax.TryParseUInt64(args[4], out _));
        message = valid ? null : MemcachedSyntax.BadFormat;
        return valid;
    }

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var cas = mode == StoreMode.Cas ? MemcachedSyntax.Number(args[4]) : 0;
        var key = MemcachedOpcodes.Key(args[0], stackalloc byte[MemcachedSyntax.MaxKeyBytes]);
        var result = store.Store(mode, key, MemcachedSyntax.Flags(args[1]), MemcachedSyntax.Exptime(args[2]), args[3], cas);
        switch (result)
        {
            case StoreResult.TooLarge:
                reply.WriteError("SERVER_ERROR object too large for cache");
                break;
            case StoreResult.OutOfMemory:
                reply.WriteError("SERVER_ERROR out of memory storing object");
                break;
            default:
                reply.WriteSimpleString(result switch
                {
                    StoreResult.Stored => "STORED"u8,
                    StoreResult.NotStored => "NOT_STORED"u8,
                    StoreResult.Exists => "EXISTS"u8,
                    _ => "NOT_FOUND"u8,
                });
                break;
        }
    }
}

/// <summary>
/// <c>MC.GET key…</c> and <c>MC.GETS key…</c>: an array with one element per key found, in the order asked, each an array of the
/// key, its flags (integer), its data and, for <c>MC.GETS</c>, its cas unique (integer). Missing keys are left out.
/// </summary>
public sealed class RetrievalOperation(string name, ushort code, bool withCas, MemcachedStore store)
    : TypedOperation(name, code, OperationPlacement.Inline, 1, MemcachedOpcodes.MaxKeys)
{
    /// <inheritdoc />
    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = args.Count;
        foreach (var key in args)
        {
            if (!MemcachedSyntax.IsKey(key))
            {
                message = MemcachedSyntax.BadFormat;
                return false;
            }
        }

        message = null;
        return true;
    }

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var found = new StoredItem?[args.Count];
        var hits = 0;
        var i = 0;
        Span<byte> scratch = stackalloc byte[MemcachedSyntax.MaxKeyBytes];
        foreach (var key in args)
        {
            found[i] = store.Get(MemcachedOpcodes.Key(key, scratch));
            hits += found[i++] is null ? 0 : 1;
        }

        reply.WriteArray(hits);
        i = 0;
        foreach (var key in args)
        {
            if (found[i++] is { } item)
            {
                reply.WriteArray(withCas ? 4 : 3);
                reply.WriteBulk(key);
                reply.WriteInteger(item.Flags);
                reply.WriteBulk(item.Value);
                if (withCas)
                {
                    reply.WriteInteger((long)item.Cas);
                }
            }
        }
    }
}

    /// <summary>An operation on one key (its first argument), whose other arguments <see cref="Check"/> validates.</summary>
public abstract class KeyOperation(string name, ushort code, int argumentCount)
    : TypedOperation(name, code, OperationPlacement.Inline, argumentCount, argumentCount)
{
    /// <inheritdoc />
    public sealed override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = 1;
        message = MemcachedSyntax.IsKey(args[0]) ? Check(args) : MemcachedSyntax.BadFormat;
        return message is null;
    }

    /// <summary>The <c>CLIENT_ERROR</c> reason for bad arguments after the key, or null.</summary>
    protected virtual string? Check(in ArgumentList args) => null;
}

/// <summary><c>MC.DELETE key</c>: <c>DELETED</c> or <c>NOT_FOUND</c>.</summary>
public sealed class DeleteOperation(MemcachedStore store) : KeyOperation("MC.DELETE", MemcachedOpcodes.Delete, 1)
{
    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken) =>
        reply.WriteSimpleString(store.Delete(MemcachedOpcodes.Key(args[0], stackalloc byte[MemcachedSyntax.MaxKeyBytes])) ? "DELETED"u8 : "NOT_FOUND"u8);
}

/// <summary>
/// <c>MC.INCR key delta</c> and <c>MC.DECR key delta</c>: the new value as a simple string of its decimal digits (memcached's
/// values are unsigned 64-bit, past RESP's signed integers), <c>NOT_FOUND</c>, or a <c>CLIENT_ERROR</c> for a value that is not a number.
/// </summary>
public sealed class DeltaOperation(string name, ushort code, bool increment, MemcachedStore store) : KeyOperation(name, code, 2)
{
    /// <inheritdoc />
    protected override string? Check(in ArgumentList args) => MemcachedSyntax.TryParseUInt64(args[1], out _) ? null : MemcachedSyntax.BadDelta;

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        switch (store.Add(MemcachedOpcodes.Key(args[0], stackalloc byte[MemcachedSyntax.MaxKeyBytes]), MemcachedSyntax.Number(args[1]), increment, out var result))
        {
            case DeltaResult.Done:
                reply.WriteSimpleString(result.ToString(CultureInfo.InvariantCulture));
                break;
            case DeltaResult.NotFound:
                reply.WriteSimpleString("NOT_FOUND"u8);
                break;
            default:
                reply.WriteError("CLIENT_ERROR cannot increment or decrement non-numeric value");
                break;
        }
    }
}

/// <summary><c>MC.TOUCH key exptime</c>: <c>TOUCHED</c> or <c>NOT_FOUND</c>.</summary>
public sealed class TouchOperation(MemcachedStore store) : KeyOperation("MC.TOUCH", MemcachedOpcodes.Touch, 2)
{
    /// <inheritdoc />
    protected override string? Check(in ArgumentList args) => MemcachedSyntax.TryParseInt32(args[1], out _) ? null : MemcachedSyntax.BadExptime;

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var touched = store.Touch(MemcachedOpcodes.Key(args[0], stackalloc byte[MemcachedSyntax.MaxKeyBytes]), MemcachedSyntax.Exptime(args[1]));
        reply.WriteSimpleString(touched ? "TOUCHED"u8 : "NOT_FOUND"u8);
    }
}

/// <summary><c>MC.FLUSH_ALL [delay]</c>: <c>OK</c>; every item goes now, or those stored before the delay's end then.</summary>
public sealed class FlushAllOperation(MemcachedStore store)
    : TypedOperation("MC.FLUSH_ALL", MemcachedOpcodes.FlushAll, OperationPlacement.Inline, 0, 1)
{
    /// <inheritdoc />
    public override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = 1;
        message = args.Count == 1 && !MemcachedSyntax.TryParseInt32(args[0], out _) ? MemcachedSyntax.BadExptime : null;
        return message is null;
    }

    /// <inheritdoc />
    public override void Execute(in ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        store.Flush(args.Count == 1 ? MemcachedSyntax.Exptime(args[0]) : 0);
        reply.WriteSimpleString("OK"u8);
    }
}
