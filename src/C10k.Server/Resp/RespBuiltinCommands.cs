using System.Buffers;
using C10k.Protocol;
using C10k.Protocol.Native;
using C10k.Protocol.Resp;
using C10k.Server.Connections;

namespace C10k.Server.Resp;

/// <summary>
/// The commands the RESP front answers itself, so Redis clients and tools work unchanged (Redis 7.0 replies and wording).
/// Each returns the status the request is counted under.
/// </summary>
internal static class RespBuiltinCommands
{
    public static NativeStatus Execute(RespConnection connection, in RespRequest request, IBufferWriter<byte> output)
    {
        var args = request.Arguments;
        switch (request.Command)
        {
            case RespCommand.Ping:
                // Outside subscribed mode PING is PingOperation, like every operation.
                return SubscribedPing(args, output);
            case RespCommand.Quit:
                output.Write(RespReplyWriter.Ok);
                connection.Quit();
                return NativeStatus.Ok;
            case RespCommand.Select when args.Count == 1:
                return Select(args, output);
            case RespCommand.Hello:
                return RespHelloCommand.Execute(connection, args, output);
            case RespCommand.Command:
                return connection.Resp.Catalog.Execute(args, output);
            case RespCommand.Client when args.Count >= 1:
                return RespClientCommand.Execute(connection, args, output);
            case RespCommand.Config when args.Count >= 1:
                return RespConfigCommand.Execute(connection.Resp, args, output);
            case RespCommand.Info:
                RespInfoWriter.Write(connection.Resp, args, output);
                return NativeStatus.Ok;
            case RespCommand.Cluster when args.Count >= 1:
                RespErrors.Write(output, RespErrors.ClusterDisabled);
                return NativeStatus.Error;
            case RespCommand.Get when args.Count == 1:
                // No keyspace: every key is missing (SE.Redis's tie-breaker read expects exactly that).
                RespReplyWriter.WriteNullBulkString(output);
                return NativeStatus.Ok;
            case RespCommand.Subscribe when args.Count >= 1:
                Subscribe(connection, args, output);
                return NativeStatus.Ok;
            case RespCommand.Unsubscribe:
                Unsubscribe(connection, args, output);
                return NativeStatus.Ok;
            case RespCommand.Unknown or RespCommand.Sentinel:
                // Redis without sentinel mode answers SENTINEL as an unknown command, and so do we.
                RespErrors.WriteUnknownCommand(output, request);
                return NativeStatus.UnknownOp;
            default:
                RespErrors.WriteWrongArity(output, RespCommandCatalog.MetricName(request.Command));
                return NativeStatus.BadArgs;
        }
    }

    private static NativeStatus SubscribedPing(in ArgumentList args, IBufferWriter<byte> output)
    {
        if (args.Count > 1)
        {
            RespErrors.WriteWrongArity(output, "ping");
            return NativeStatus.BadArgs;
        }

        // In subscribed mode Redis answers PING with a push-style array.
        RespReplyWriter.WriteArrayHeader(output, 2);
        RespReplyWriter.WriteBulkString(output, "pong"u8);
        RespReplyWriter.WriteBulkString(output, args.Count == 1 ? args[0] : default);
        return NativeStatus.Ok;
    }

    private static NativeStatus Select(in ArgumentList args, IBufferWriter<byte> output)
    {
        if (!args.TryGetInt64(0, out var index))
        {
            RespErrors.Write(output, RespErrors.NotAnInteger);
            return NativeStatus.BadArgs;
        }

        if (index != 0)
        {
            RespErrors.Write(output, "ERR DB index is out of range"u8);
            return NativeStatus.BadArgs;
        }

        output.Write(RespReplyWriter.Ok);
        return NativeStatus.Ok;
    }

    private static void Subscribe(RespConnection connection, in ArgumentList args, IBufferWriter<byte> output)
    {
        foreach (var channel in args)
        {
            if (IndexOf(connection.Channels, channel) < 0)
            {
                connection.Channels.Add(channel.ToArray());
            }

            WriteSubscription(output, "subscribe"u8, channel, connection.Channels.Count);
        }
    }

    private static void Unsubscribe(RespConnection connection, in ArgumentList args, IBufferWriter<byte> output)
    {
        var channels = connection.Channels;
        if (args.Count == 0)
        {
            if (channels.Count == 0)
            {
                RespReplyWriter.WriteArrayHeader(output, 3);
                RespReplyWriter.WriteBulkString(output, "unsubscribe"u8);
                RespReplyWriter.WriteNullBulkString(output);
                RespReplyWriter.WriteInteger(output, 0);
            }

            while (channels.Count > 0)
            {
                var channel = channels[^1];
                channels.RemoveAt(channels.Count - 1);
                WriteSubscription(output, "unsubscribe"u8, new ReadOnlySequence<byte>(channel), channels.Count);
            }

            return;
        }

        foreach (var channel in args)
        {
            var index = IndexOf(channels, channel);
            if (index >= 0)
            {
                channels.RemoveAt(index);
            }

            WriteSubscription(output, "unsubscribe"u8, channel, channels.Count);
        }
    }

    private static void WriteSubscription(IBufferWriter<byte> output, ReadOnlySpan<byte> kind, in ReadOnlySequence<byte> channel, int count)
    {
        RespReplyWriter.WriteArrayHeader(output, 3);
        RespReplyWriter.WriteBulkString(output, kind);
        RespReplyWriter.WriteBulkString(output, channel);
        RespReplyWriter.WriteInteger(output, count);
    }

    private static int IndexOf(List<byte[]> channels, in ReadOnlySequence<byte> channel)
    {
        var name = channel.IsSingleSegment ? channel.FirstSpan : channel.ToArray();
        for (var i = 0; i < channels.Count; i++)
        {
            if (name.SequenceEqual(channels[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
