using System.Buffers;
using C10k.Protocol;
using C10k.Server.Connections;
using C10k.Server.Dispatch;
using C10k.Server.Operations;

namespace C10k.Tests.Server;

/// <summary>The worker queue's admission and order rules, on the queue alone (no threads, no sockets).</summary>
public class FairWorkQueueTests
{
    private static readonly Operation Work = new PingOperation();

    [Fact]
    public void WorkIsTakenRoundRobinByConnection()
    {
        var queue = new FairWorkQueue(maxItems: 100, maxBytes: 1 << 20);
        var greedy = new Owner();
        var modest = new Owner();
        for (uint tag = 1; tag <= 3; tag++)
        {
            Assert.True(queue.TryAdd(Item(greedy, tag)));
        }

        Assert.True(queue.TryAdd(Item(modest, 9)));

        Assert.Equal([(greedy, 1u), (modest, 9u), (greedy, 2u), (greedy, 3u)], TakeAll(queue));
        Assert.Equal((0, 0L, 0), (queue.Count, queue.Bytes, queue.Owners));
    }

    [Fact]
    public void AFullQueueStillTakesOneRequestFromAConnectionWithNothingQueued()
    {
        var queue = new FairWorkQueue(maxItems: 4, maxBytes: 1 << 20);
        var hog = new Owner();
        var fresh = new Owner();
        for (uint tag = 1; tag <= 4; tag++)
        {
            Assert.True(queue.MayQueue(hog));
            Assert.True(queue.TryAdd(Item(hog, tag)));
        }

        Assert.False(queue.MayQueue(hog));
        Assert.True(queue.MayQueue(fresh));
        Assert.True(queue.TryAdd(Item(fresh, 1)));

        Assert.False(queue.MayQueue(fresh));
        Assert.Equal((5, 2), (queue.Count, queue.Owners));
    }

    [Fact]
    public void WithRoomLeftEachConnectionIsStillHeldToItsShare()
    {
        var queue = new FairWorkQueue(maxItems: 4, maxBytes: 1 << 20);
        var first = new Owner();
        var second = new Owner();
        Assert.True(queue.TryAdd(Item(first, 1)));
        Assert.True(queue.TryAdd(Item(first, 2)));
        Assert.True(queue.TryAdd(Item(second, 1)));

        Assert.False(queue.MayQueue(first));
        Assert.True(queue.MayQueue(second));
    }

    [Fact]
    public void OnlyACallerThatDoesNotAskIsRefusedAndOnlyPastTwiceTheBound()
    {
        var queue = new FairWorkQueue(maxItems: 2, maxBytes: 1 << 20);
        var careless = new Owner();
        for (uint tag = 1; tag <= 4; tag++)
        {
            Assert.True(queue.TryAdd(Item(careless, tag)));
        }

        Assert.False(queue.TryAdd(Item(careless, 5)));
        Assert.True(queue.TryAdd(Item(new Owner(), 1)));
    }

    [Fact]
    public void TheByteBoundFillsTheQueueBeforeTheItemBound()
    {
        const int argument = 100_000;
        var size = argument + FairWorkQueue.ItemOverheadBytes;
        var queue = new FairWorkQueue(maxItems: 100, maxBytes: 2 * size);
        var big = new Owner();
        Assert.True(queue.TryAdd(Item(big, 1, argument)));
        Assert.True(queue.MayQueue(big));
        Assert.True(queue.TryAdd(Item(big, 2, argument)));

        Assert.False(queue.MayQueue(big));
        Assert.Equal(2L * size, queue.Bytes);
        var other = new Owner();
        Assert.True(queue.MayQueue(other));
        Assert.True(queue.TryAdd(Item(other, 1, argument)));
        Assert.Equal(3L * size, queue.Bytes);
        Assert.True(queue.TryAdd(Item(big, 3, argument)));
        Assert.False(queue.TryAdd(Item(big, 4, argument)));
    }

    [Fact]
    public void AConnectionMayQueueAgainOnceItsWorkIsTaken()
    {
        var queue = new FairWorkQueue(maxItems: 1, maxBytes: 1 << 20);
        var owner = new Owner();
        Assert.True(queue.TryAdd(Item(owner, 1)));
        Assert.False(queue.MayQueue(owner));

        Assert.True(queue.TryTake(out _));

        Assert.True(queue.MayQueue(owner));
        Assert.True(queue.TryAdd(Item(owner, 2)));
    }

    private static List<(Owner, uint)> TakeAll(FairWorkQueue queue)
    {
        var taken = new List<(Owner, uint)>();
        while (queue.TryTake(out var item))
        {
            taken.Add(((Owner)item.Owner, item.Tag));
            item.Release();
        }

        return taken;
    }

    private static WorkItem Item(Owner owner, uint tag, int argumentBytes = 0)
    {
        var args = new ArgumentList(new ReadOnlySequence<byte>(new byte[argumentBytes]), argumentBytes == 0 ? 0 : 1, ArgumentEncoding.LengthPrefixed);
        return new WorkItem(Work, args, owner, tag, cost: 1, enqueuedAt: 0, deadlineAt: 0, form: ReplyForm.Bulk);
    }

    private sealed class Owner : IWorkOwner
    {
        public bool IsClosed => false;

        public CancellationToken Closed => CancellationToken.None;

        public void OnWorkCompleted(WorkItem item) => item.Release();
    }
}
