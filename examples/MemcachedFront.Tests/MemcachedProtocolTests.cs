namespace MemcachedFront.Tests;

/// <summary>
/// Each command's replies, byte for byte. Every transcript was sent, in one write, to a fresh memcached 1.6.18 (Debian bookworm,
/// <c>memcached -p PORT -U 0</c>) and its reply recorded here; the front must answer the same bytes (cas uniques included: both
/// count from 1 on a fresh server). Pipelining comes with it: each transcript is many commands in one write, answered in order.
/// </summary>
public sealed class MemcachedProtocolTests : IAsyncLifetime
{
    private static readonly string Key251 = new('k', 251);

    private MemcachedHost? _host;

    public async Task InitializeAsync() => _host = await MemcachedHost.StartAsync();

    public async Task DisposeAsync() => await _host!.DisposeAsync();

    [Fact]
    public Task StorageAndRetrieval() => AssertTranscriptAsync(
        [
            "set a 5 0 3\r\nabc\r\n", "get a\r\n", "gets a\r\n", "add a 0 0 1\r\nq\r\n", "add b 0 0 1\r\nq\r\n", "replace zz 0 0 1\r\nq\r\n",
            "replace b 7 0 2\r\nqq\r\n", "append a 9 9 2\r\nde\r\n", "prepend a 0 0 2\r\n<<\r\n", "append nope 0 0 1\r\nx\r\n", "gets a b\r\n",
            "cas a 0 0 1 999\r\nz\r\n", "cas nope 0 0 1 1\r\nz\r\n", "cas a 3 0 1 5\r\nz\r\n", "gets a\r\n", "set e 0 -1 1\r\nx\r\n", "get e\r\n",
            "set a 0 0 0\r\n\r\n", "get a b nope\r\n", "set bin 4294967295 0 5\r\nx\r\ny\0\r\n", "get bin\r\n", "set t\tab 0 0 1\r\nz\r\n",
            "get t\tab\r\n", "set lf 0 0 1\nz\r\n", "get lf\n", " get  lf  \r\n", "set x 0 0 1 2\r\nz\r\n",
        ],
        "STORED\r\nVALUE a 5 3\r\nabc\r\nEND\r\nVALUE a 5 3 1\r\nabc\r\nEND\r\nNOT_STORED\r\nSTORED\r\nNOT_STORED\r\nSTORED\r\nSTORED\r\nSTORED\r\n"
        + "NOT_STORED\r\nVALUE a 5 7 5\r\n<<abcde\r\nVALUE b 7 2 3\r\nqq\r\nEND\r\nEXISTS\r\nNOT_FOUND\r\nSTORED\r\nVALUE a 3 1 6\r\nz\r\nEND\r\n"
        + "STORED\r\nEND\r\nSTORED\r\nVALUE a 0 0\r\n\r\nVALUE b 7 2\r\nqq\r\nEND\r\nSTORED\r\nVALUE bin 4294967295 5\r\nx\r\ny\0\r\nEND\r\n"
        + "STORED\r\nVALUE t\tab 0 1\r\nz\r\nEND\r\nSTORED\r\nVALUE lf 0 1\r\nz\r\nEND\r\nVALUE lf 0 1\r\nz\r\nEND\r\nSTORED\r\n");

    [Fact]
    public Task IncrAndDecr() => AssertTranscriptAsync(
        [
            "set n 0 0 2\r\n10\r\n", "incr n 5\r\n", "decr n 100\r\n", "get n\r\n", "incr n 18446744073709551615\r\n", "incr n 2\r\n", "gets n\r\n",
            "incr n abc\r\n", "incr n -1\r\n", "incr n 18446744073709551616\r\n", "incr nope 1\r\n", "set s 0 0 2\r\nhi\r\n", "incr s 1\r\n",
            "set sp 0 0 4\r\n  12\r\n", "incr sp 1\r\n", "set e 0 0 0\r\n\r\n", "decr e 1\r\n", "incr n 1 2\r\n",
        ],
        "STORED\r\n15\r\n0\r\nVALUE n 0 2\r\n0 \r\nEND\r\n18446744073709551615\r\n1\r\nVALUE n 0 20 5\r\n1                   \r\nEND\r\n"
        + "CLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\n"
        + "NOT_FOUND\r\nSTORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nSTORED\r\n13\r\nSTORED\r\n"
        + "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n2\r\n");

    [Fact]
    public Task TouchDeleteVerbosityAndFlushAll() => AssertTranscriptAsync(
        [
            "set n 0 0 1\r\n1\r\n", "touch n 100\r\n", "touch nope 1\r\n", "touch n abc\r\n", "gets n\r\n", "touch n -1\r\n", "get n\r\n",
            "set d 0 0 1\r\n1\r\n", "delete d\r\n", "delete d\r\n", "delete d 0\r\n", "delete d 5\r\n", "delete\r\n", "verbosity 1\r\n",
            "verbosity\r\n", "verbosity x\r\n", "verbosity 1 2\r\n", "set f 0 0 1\r\n1\r\n", "flush_all abc\r\n", "flush_all\r\n", "get f\r\n",
            "flush_all 0\r\n", "flush_all 1 2\r\n",
        ],
        "STORED\r\nTOUCHED\r\nNOT_FOUND\r\nCLIENT_ERROR invalid exptime argument\r\nVALUE n 0 1 1\r\n1\r\nEND\r\nTOUCHED\r\nEND\r\nSTORED\r\n"
        + "DELETED\r\nNOT_FOUND\r\nNOT_FOUND\r\nCLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\nERROR\r\nOK\r\nERROR\r\n"
        + "CLIENT_ERROR bad command line format\r\nOK\r\nSTORED\r\nCLIENT_ERROR invalid exptime argument\r\nOK\r\nEND\r\nOK\r\nOK\r\n");

    [Fact]
    public Task NoreplySuppressesEveryReplyButTheCommandsStillRun() => AssertTranscriptAsync(
        [
            "set a 0 0 1 noreply\r\nz\r\n", "add a 0 0 1 noreply\r\nq\r\n", "append a 0 0 1 noreply\r\ny\r\n", "set n 0 0 1 noreply\r\n5\r\n",
            "incr n 3 noreply\r\n", "incr nope 1 noreply\r\n", "incr n x noreply\r\n", "touch a 100 noreply\r\n", "delete nope noreply\r\n",
            "delete a 0 noreply\r\n", "delete a 5 noreply\r\n", "verbosity 1 noreply\r\n", "verbosity x noreply\r\n",
            "cas n 0 0 1 1 noreply\r\nq\r\n", "set b 0 0 3 noreply\r\nabcd\r\n", "set c abc 0 1 noreply\r\nz\r\n", "get a n\r\n",
            "flush_all noreply\r\n", "get n\r\n",
        ],
        // The two ERRORs: what follows a bad data chunk ("\n") and a refused line's data block ("z") are read as command lines.
        "ERROR\r\nERROR\r\nVALUE n 0 1\r\n8\r\nEND\r\nEND\r\n");

    [Fact]
    public Task BadLinesGetErrorOrClientErrorAndTheConnectionStays() => AssertTranscriptAsync(
        [
            "bogus\r\n", "\r\n", "   \r\n", "GET a\r\n", "set a abc 0 3\r\nabc\r\n", "set a 0 0 -1\r\nabc\r\n", "set a 0 0\r\nabc\r\n",
            "set a 0 0 3\r\nabcd\r\n", "set a 0 0 3\r\nab\r\n\r\n", "set " + Key251 + " 0 0 1\r\nx\r\n", "incr " + Key251 + " 1\r\n",
            "set a 0 0 1 noreply extra\r\nz\r\n", "cas a 0 0 1\r\nz\r\n", "cas a 0 0 1 x\r\nz\r\n", "gets\r\n", "get\r\n",
            "set a 0 0 01\r\nz\r\n", "set a 0 0 +1\r\nz\r\n", "get a\r\n",
        ],
        "ERROR\r\nERROR\r\nERROR\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n"
        + "ERROR\r\nERROR\r\nCLIENT_ERROR bad data chunk\r\nERROR\r\nCLIENT_ERROR bad data chunk\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n"
        + "ERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n"
        + "ERROR\r\nERROR\r\nSTORED\r\nSTORED\r\nVALUE a 0 1\r\nz\r\nEND\r\n");

    [Fact]
    public Task AGetWithAnOverlongKeyIsAClientError() =>
        AssertTranscriptAsync(["get a " + Key251 + "\r\n"], "CLIENT_ERROR bad command line format\r\n");

    [Fact]
    public Task AnItemOverTheLimitIsRefusedItsDataSkippedAndTheOldValueDropped() => AssertTranscriptAsync(
        [
            "set a 0 0 3\r\nold\r\n", "set a 0 0 1048576\r\n" + new string('x', 1048576) + "\r\n", "get a\r\n",
            "add b 0 0 2000000 noreply\r\n" + new string('y', 2_000_000) + "\r\n", "set c 0 0 1048000\r\n" + new string('c', 1048000) + "\r\n", "get b\r\n",
        ],
        "STORED\r\nSERVER_ERROR object too large for cache\r\nEND\r\nSTORED\r\nEND\r\n");

    private async Task AssertTranscriptAsync(string[] requests, string expected)
    {
        using var connection = await _host!.ConnectAsync();
        await connection.SendAsync(string.Concat(requests));
        await connection.ExpectAsync(expected);

        // Nothing more than that: the next reply is the next command's.
        await connection.SendAsync("version\r\n");
        await connection.ExpectAsync(MemcachedSession.VersionLine + "\r\n");
    }
}
