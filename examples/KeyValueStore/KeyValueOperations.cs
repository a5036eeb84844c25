using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Typed;
using C10k.Server.Operations;

namespace KeyValueStore;

/// <summary>
/// The store's operations. Each is an <see cref="AsyncOperation"/>: on the I/O thread it only copies its arguments and queues a
/// request for the store's threads, then awaits the answer without holding any thread. A full queue is the error reply
/// <c>BUSY store queue is full, try again later</c>; a request whose deadline passes (or whose connection closes) while queued is
/// never run, and the client gets CANCELLED.
/// </summary>
public abstract class StoreOperation(string name, ushort opcode, int minArgs, int maxArgs)
    : AsyncOperation(name, opcode, minArgs, maxArgs)
{
    /// <summary>The longest key accepted, in bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <inheritdoc />
    public sealed override bool TryValidate(in ArgumentList args, out long cost, out string? message)
    {
        cost = 1;
        message = null;
        for (var i = 0; i < KeyArguments(args.Count); i++)
        {
            if (args[i].Length > MaxKeyBytes)
            {
                message = "key is longer than 1024 bytes";
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public sealed override async ValueTask ExecuteAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(args, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreBusyException busy)
        {
            reply.WriteError(busy.Message);
        }
    }

    /// <summary>How many of <paramref name="count"/> arguments are keys (the first ones).</summary>
    protected virtual int KeyArguments(int count) => count;

    /// <summary>Queues the request, awaits the store and writes the reply.</summary>
    protected abstract Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken);
}

/// <summary><c>KV.GET key</c>: the value (bulk), or nil when the key is missing.</summary>
public sealed class GetOperation(SqliteStore store) : StoreOperation("KV.GET", Code, 1, 1)
{
    /// <summary>Native opcode (application range, 0x1000 and up).</summary>
    public const ushort Code = 0x1201;

    /// <inheritdoc />
    protected override async Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var value = await store.GetAsync(args[0].ToArray(), cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            reply.WriteNil();
        }
        else
        {
            reply.WriteBulk(value);
        }
    }
}

/// <summary><c>KV.SET key value</c>: <c>OK</c> (a simple string) once the write is committed to disk.</summary>
public sealed class SetOperation(SqliteStore store) : StoreOperation("KV.SET", Code, 2, 2)
{
    /// <summary>Native opcode.</summary>
    public const ushort Code = 0x1202;

    /// <inheritdoc />
    protected override int KeyArguments(int count) => 1;

    /// <inheritdoc />
    protected override async Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        await store.SetAsync(args[0].ToArray(), args[1].ToArray(), cancellationToken).ConfigureAwait(false);
        reply.WriteSimpleString("OK");
    }
}

/// <summary><c>KV.DEL key [key …]</c>: how many of the keys existed (an integer), once the deletion is committed.</summary>
public sealed class DeleteOperation(SqliteStore store) : StoreOperation("KV.DEL", Code, 1, 64)
{
    /// <summary>Native opcode.</summary>
    public const ushort Code = 0x1203;

    /// <inheritdoc />
    protected override async Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var keys = new byte[args.Count][];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = args[i].ToArray();
        }

        reply.WriteInteger(await store.DeleteAsync(keys, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary><c>KV.KEYS pattern</c>: the keys matching a glob pattern (<c>*</c>, <c>?</c>, <c>[…]</c>), an array in byte order, at most <c>Store:MaxKeys</c>.</summary>
public sealed class KeysOperation(SqliteStore store) : StoreOperation("KV.KEYS", Code, 1, 1)
{
    /// <summary>Native opcode.</summary>
    public const ushort Code = 0x1204;

    /// <inheritdoc />
    protected override async Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken)
    {
        var keys = await store.KeysAsync(args[0].ToArray(), cancellationToken).ConfigureAwait(false);
        reply.WriteArray(keys.Count);
        foreach (var key in keys)
        {
            reply.WriteBulk(key);
        }
    }
}

/// <summary><c>KV.COUNT</c>: how many keys the store holds (an integer).</summary>
public sealed class CountOperation(SqliteStore store) : StoreOperation("KV.COUNT", Code, 0, 0)
{
    /// <summary>Native opcode.</summary>
    public const ushort Code = 0x1205;

    /// <inheritdoc />
    protected override async Task RunAsync(ArgumentList args, ReplyWriter reply, CancellationToken cancellationToken) =>
        reply.WriteInteger(await store.CountAsync(cancellationToken).ConfigureAwait(false));
}
