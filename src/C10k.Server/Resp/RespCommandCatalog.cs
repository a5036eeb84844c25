using System.Buffers;
using System.Text;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Diagnostics;
using C10k.Server.Operations;

namespace C10k.Server.Resp;

/// <summary>
/// COMMAND, COMMAND COUNT / LIST / INFO / DOCS: real entries for the built-in commands and for every operation in the registry
/// (arity from its argument bounds, <c>fast</c> when it always runs inline), generated at start-up.
/// </summary>
internal sealed class RespCommandCatalog
{
    private static readonly RespCommandEntry[] Builtins =
    [
        new("ping", -1, ["fast"], ["@fast", "@connection"], "Ping the server", "connection", "1.0.0"),
        new("echo", 2, ["fast"], ["@fast", "@connection"], "Echo the given string", "connection", "1.0.0"),
        new("quit", -1, ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"], ["@fast", "@connection"], "Close the connection", "connection", "1.0.0"),
        new("select", 2, ["loading", "stale", "fast"], ["@fast", "@connection"], "Change the selected database (only 0 exists)", "connection", "2.0.0"),
        new("auth", -2, ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"], ["@fast", "@connection"], "Authenticate to the server", "connection", "1.0.0"),
        new("hello", -1, ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"], ["@fast", "@connection"], "Handshake (RESP2 only)", "connection", "6.0.0"),
        new("command", -1, ["loading", "stale"], ["@slow", "@connection"], "Get array of command details", "server", "2.8.13"),
        new("client", -2, [], ["@slow"], "SETNAME, GETNAME, SETINFO, ID, INFO, LIST", "connection", "2.4.0"),
        new("config", -2, [], ["@slow"], "GET of the settings clients ask for", "server", "2.0.0"),
        new("info", -1, ["loading", "stale"], ["@slow", "@dangerous"], "Information and statistics about the server", "server", "1.0.0"),
        new("cluster", -2, [], ["@slow"], "Cluster support is disabled", "cluster", "3.0.0"),
        new("get", 2, ["readonly", "fast"], ["@read", "@string", "@fast"], "Always nil: this server keeps no keys", "string", "1.0.0"),
        new("subscribe", -2, ["pubsub", "noscript", "loading", "stale"], ["@pubsub", "@slow"], "Listen for messages (none are published here)", "pubsub", "2.0.0"),
        new("unsubscribe", -1, ["pubsub", "noscript", "loading", "stale"], ["@pubsub", "@slow"], "Stop listening for messages", "pubsub", "2.0.0"),
    ];

    private readonly RespCommandEntry[] _entries;

    public RespCommandCatalog(OperationRegistry operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var entries = new List<RespCommandEntry>(Builtins);
        foreach (var operation in operations.All)
        {
            var name = operation.MetricName;
            if (entries.Exists(e => e.Name == name))
            {
                continue;
            }

            var arity = operation.MinArgs == operation.MaxArgs ? operation.MinArgs + 1 : -(operation.MinArgs + 1);
            var inline = operation.Placement == OperationPlacement.Inline;
            var placement = operation.Placement switch
            {
                OperationPlacement.Inline => "runs inline",
                OperationPlacement.Worker => "runs on the worker pool",
                _ => "runs inline or on the worker pool, by its cost",
            };
            entries.Add(new(name, arity, inline ? ["fast"] : [], inline ? ["@fast"] : ["@slow"], $"C10k operation ({placement})", "c10k", "1.0.0"));
        }

        _entries = [.. entries];
    }

    /// <summary>Every command's entry.</summary>
    public IReadOnlyList<RespCommandEntry> Entries => _entries;

    /// <summary>The <c>op</c> metric tag of a built-in command (a fixed set).</summary>
    public static string MetricName(RespCommand command) => command switch
    {
        RespCommand.Ping => "ping",
        RespCommand.Echo => "echo",
        RespCommand.Quit => "quit",
        RespCommand.Select => "select",
        RespCommand.Hello => "hello",
        RespCommand.Auth => "auth",
        RespCommand.Command => "command",
        RespCommand.Client => "client",
        RespCommand.Config => "config",
        RespCommand.Info => "info",
        RespCommand.Cluster => "cluster",
        RespCommand.Get => "get",
        RespCommand.Subscribe => "subscribe",
        RespCommand.Unsubscribe => "unsubscribe",
        _ => C10kMetrics.OtherOp,
    };

    public NativeStatus Execute(in ArgumentList args, IBufferWriter<byte> output)
    {
        if (args.Count == 0)
        {
            WriteInfos(output, _entries);
            return NativeStatus.Ok;
        }

        var sub = args[0];
        if (RespArgument.Is(sub, "COUNT"u8) && args.Count == 1)
        {
            RespReplyWriter.WriteInteger(output, _entries.Length);
            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "LIST"u8))
        {
            RespReplyWriter.WriteArrayHeader(output, _entries.Length);
            foreach (var entry in _entries)
            {
                RespReplyWriter.WriteBulkString(output, entry.NameBytes);
            }

            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "INFO"u8))
        {
            if (args.Count == 1)
            {
                WriteInfos(output, _entries);
                return NativeStatus.Ok;
            }

            // One pass over the names (the list's indexer walks from the start: per name, that would be quadratic).
            RespReplyWriter.WriteArrayHeader(output, args.Count - 1);
            var names = args.GetEnumerator();
            names.MoveNext();
            while (names.MoveNext())
            {
                if (Find(names.Current) is { } entry)
                {
                    WriteInfo(output, entry);
                }
                else
                {
                    RespReplyWriter.WriteNullArray(output);
                }
            }

            return NativeStatus.Ok;
        }

        if (RespArgument.Is(sub, "DOCS"u8))
        {
            var selected = new List<RespCommandEntry>();
            var names = args.GetEnumerator();
            names.MoveNext();
            while (names.MoveNext())
            {
                if (Find(names.Current) is { } entry)
                {
                    selected.Add(entry);
                }
            }

            WriteDocs(output, args.Count == 1 ? _entries : [.. selected]);
            return NativeStatus.Ok;
        }

        RespErrors.WriteUnknownSubcommand(output, sub, "COMMAND");
        return NativeStatus.BadArgs;
    }

    private RespCommandEntry? Find(in ReadOnlySequence<byte> name)
    {
        foreach (var entry in _entries)
        {
            if (RespArgument.Is(name, entry.NameBytes))
            {
                return entry;
            }
        }

        return null;
    }

    private static void WriteInfos(IBufferWriter<byte> output, RespCommandEntry[] entries)
    {
        RespReplyWriter.WriteArrayHeader(output, entries.Length);
        foreach (var entry in entries)
        {
            WriteInfo(output, entry);
        }
    }

    // Redis 7.0's ten fields: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands.
    private static void WriteInfo(IBufferWriter<byte> output, RespCommandEntry entry)
    {
        RespReplyWriter.WriteArrayHeader(output, 10);
        RespReplyWriter.WriteBulkString(output, entry.NameBytes);
        RespReplyWriter.WriteInteger(output, entry.Arity);
        WriteSimpleStrings(output, entry.Flags);
        RespReplyWriter.WriteInteger(output, 0);
        RespReplyWriter.WriteInteger(output, 0);
        RespReplyWriter.WriteInteger(output, 0);
        WriteSimpleStrings(output, entry.AclCategories);
        RespReplyWriter.WriteArrayHeader(output, 0);
        RespReplyWriter.WriteArrayHeader(output, 0);
        RespReplyWriter.WriteArrayHeader(output, 0);
    }

    private static void WriteDocs(IBufferWriter<byte> output, RespCommandEntry[] entries)
    {
        RespReplyWriter.WriteArrayHeader(output, entries.Length * 2);
        foreach (var entry in entries)
        {
            RespReplyWriter.WriteBulkString(output, entry.NameBytes);
            RespReplyWriter.WriteArrayHeader(output, 6);
            RespReplyWriter.WriteBulkString(output, "summary"u8);
            RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(entry.Summary));
            RespReplyWriter.WriteBulkString(output, "since"u8);
            RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(entry.Since));
            RespReplyWriter.WriteBulkString(output, "group"u8);
            RespReplyWriter.WriteBulkString(output, Encoding.ASCII.GetBytes(entry.Group));
        }
    }

    private static void WriteSimpleStrings(IBufferWriter<byte> output, string[] values)
    {
        RespReplyWriter.WriteArrayHeader(output, values.Length);
        foreach (var value in values)
        {
            RespReplyWriter.WriteSimpleString(output, Encoding.ASCII.GetBytes(value));
        }
    }
}
