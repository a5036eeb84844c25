using C10k.Fuzz;
using SharpFuzz;

// fuzz.sh runs `C10k.Fuzz <parser>` under afl-fuzz; `seeds` writes the starting inputs; `replay` re-runs saved inputs (a crash's file).
switch (args)
{
    case [var parser]:
        var target = Target(parser);
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            ParserDriver.Check(target, copy.ToArray());
        });
        return 0;
    case ["seeds", var parser, var directory, var protocolDoc]:
        Seeds.Write(Target(parser), directory, protocolDoc);
        return 0;
    case ["replay", var parser, .. var files]:
        foreach (var file in files)
        {
            ParserDriver.Check(Target(parser), File.ReadAllBytes(file));
            Console.WriteLine("ok " + file);
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: C10k.Fuzz <native|resp-request|resp-reply|proxy> | seeds <parser> <dir> <docs/protocol.md> | replay <parser> <file>...");
        return 2;
}

static FuzzTarget Target(string name) => name switch
{
    "native" => FuzzTarget.Native,
    "resp-request" => FuzzTarget.RespRequest,
    "resp-reply" => FuzzTarget.RespReply,
    "proxy" => FuzzTarget.Proxy,
    _ => throw new ArgumentException("unknown parser " + name, nameof(name)),
};
