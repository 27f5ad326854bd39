using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// The pool that lends the cuDNN executor's per-call workspaces (stream, handle, descriptors, scratch): no GPU needed,
/// the workspaces here are stand-ins that notice being used by two calls at once or after disposal.
/// </summary>
public class CallWorkspacePoolTests
{
    private sealed class Workspace : IDisposable
    {
        private int _users;

        public bool Disposed { get; private set; }

        /// <summary>False when another call already holds this workspace.</summary>
        public bool Enter() => Interlocked.Exchange(ref _users, 1) == 0;

        public void Leave() => Volatile.Write(ref _users, 0);

        public void Dispose()
        {
            if (Disposed) throw new InvalidOperationException("disposed twice");
            Disposed = true;
        }
    }

    [Test]
    public void ConcurrentCallsNeverShareAWorkspace()
    {
        const int callers = 8, calls = 5000;
        using var pool = new CallWorkspacePool<Workspace>(() => new Workspace());
        int shared = 0, usedAfterDispose = 0;
        using var start = new Barrier(callers);
        var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < calls; i++)
            {
                var w = pool.Take();
                if (!w.Enter()) Interlocked.Increment(ref shared);
                if (w.Disposed) Interlocked.Increment(ref usedAfterDispose);
                Thread.SpinWait(20);
                w.Leave();
                pool.Return(w);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.That(shared, Is.Zero, "a workspace lent to two calls at once");
        Assert.That(usedAfterDispose, Is.Zero);
        Assert.That(pool.Created, Is.InRange(1, callers), "at most one workspace per concurrent call");
        Assert.That(pool.Idle, Is.EqualTo(pool.Created), "every workspace came back");
    }

    [Test]
    public void TheSteadyStateReusesThePeakNumberOfWorkspaces()
    {
        using var pool = new CallWorkspacePool<Workspace>(() => new Workspace());
        var first = pool.Take();
        pool.Return(first);
        Assert.That(pool.Take(), Is.SameAs(first), "an idle workspace is lent again, not a new one made");
        pool.Return(first);

        var three = new[] { pool.Take(), pool.Take(), pool.Take() };
        Assert.That(three.Distinct().Count(), Is.EqualTo(3));
        Assert.That(pool.Created, Is.EqualTo(3));
        foreach (var w in three) pool.Return(w);
        for (int round = 0; round < 5; round++)
        {
            var again = new[] { pool.Take(), pool.Take(), pool.Take() };
            Assert.That(again, Is.EquivalentTo(three));
            foreach (var w in again) pool.Return(w);
        }
        Assert.That(pool.Created, Is.EqualTo(3), "three at once, five times over, still three workspaces");
    }

    [Test]
    public void DisposingFreesIdleWorkspacesNowAndLentOnesWhenTheyComeBack()
    {
        var pool = new CallWorkspacePool<Workspace>(() => new Workspace());
        var idle = pool.Take();
        var lent = pool.Take();
        pool.Return(idle);

        pool.Dispose();
        Assert.That(idle.Disposed, Is.True);
        Assert.That(lent.Disposed, Is.False, "a call still uses it");
        pool.Return(lent);
        Assert.That(lent.Disposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => pool.Take());
        Assert.DoesNotThrow(pool.Dispose, "disposing twice frees nothing twice");
    }

    [Test]
    public void AFailedCreationLeavesThePoolUsable()
    {
        bool fail = true;
        using var pool = new CallWorkspacePool<Workspace>(() => fail ? throw new OutOfMemoryException("device full") : new Workspace());
        Assert.Throws<OutOfMemoryException>(() => pool.Take());
        Assert.That(pool.Created, Is.Zero);
        fail = false;
        var w = pool.Take();
        Assert.That(pool.Created, Is.EqualTo(1));
        pool.Return(w);
        Assert.That(pool.Idle, Is.EqualTo(1));
    }
}
