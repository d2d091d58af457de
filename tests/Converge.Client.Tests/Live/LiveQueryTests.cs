using Converge.Client.Live;
using Converge.Client.Tests.Kernel;

namespace Converge.Client.Tests.Live;

/// <summary>A live query yields a fresh result after each commit that touched its collection (a write, a sync, a reload), and only then.</summary>
public sealed class LiveQueryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchQuery_AfterALocalWrite_YieldsTheNewResult()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("local");
        var todos = replica.Collection<LiveTodo>();
        await todos.InsertAsync(new LiveTodo { Title = "one" });
        await using var watch = todos.Query().Where(t => !t.Done).Watch().GetAsyncEnumerator();

        (await NextAsync(watch)).Select(t => t.Title).ShouldBe(["one"]);
        await todos.InsertAsync(new LiveTodo { Title = "two" });

        (await NextAsync(watch)).Select(t => t.Title).Order().ShouldBe(["one", "two"]);
    }

    [Fact]
    public async Task WatchQuery_AfterASyncPulledAWrite_YieldsTheNewResult()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        var reader = await world.OpenAsync("reader");
        await writer.Collection<LiveTodo>().InsertAsync(new LiveTodo { Title = "first" });
        await writer.SyncAsync();
        await reader.SyncAsync();
        await using var watch = reader.Collection<LiveTodo>().Query().Watch().GetAsyncEnumerator();
        (await NextAsync(watch)).Select(t => t.Title).ShouldBe(["first"]);

        await writer.Collection<LiveTodo>().InsertAsync(new LiveTodo { Title = "pulled" });
        await writer.SyncAsync();
        await reader.SyncAsync();

        (await NextAsync(watch)).Select(t => t.Title).Order().ShouldBe(["first", "pulled"]);
    }

    [Fact]
    public async Task WatchQuery_AfterAReloadFromASnapshot_YieldsTheLoadedRecords()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        await writer.Collection<LiveTodo>().WriteBatchAsync(batch =>
        {
            for (var i = 0; i < 50; i++)
            {
                batch.Insert(new LiveTodo { Title = $"snap {i}" });
            }
        });
        await writer.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var fresh = await world.OpenAsync("fresh");
        await using var watch = fresh.Collection<LiveTodo>().Query().Watch().GetAsyncEnumerator();
        (await NextAsync(watch)).ShouldBeEmpty();

        var report = await fresh.SyncAsync();

        // The snapshot load names no record: the reload itself is what woke the query.
        report.SnapshotIndex.ShouldNotBeNull();
        (await NextAsync(watch)).Count.ShouldBe(50);
    }

    [Fact]
    public async Task Watch_CommitsToAnotherCollection_NeverRunTheQueryAgain_AndUnchangedResultsAreNotYielded()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("unrelated");
        var todos = replica.Collection<LiveTodo>();
        var labels = replica.Collection<LiveLabel>();
        await todos.InsertAsync(new LiveTodo { Title = "done", Done = true });
        await labels.InsertAsync(new LiveLabel { Name = "warm-up" });
        var runs = 0;
        await using var watch = LiveQuery.WatchAsync(
            replica,
            todos.Name,
            async ct =>
            {
                Interlocked.Increment(ref runs);
                return await todos.QueryAsync(t => !t.Done, ct);
            },
            todos.LiveComparer).GetAsyncEnumerator();
        (await NextAsync(watch)).ShouldBeEmpty();

        // The watch waits for a wake-up meanwhile: a commit that woke it would run the query at once.
        var next = watch.MoveNextAsync().AsTask();
        for (var i = 0; i < 5; i++)
        {
            await labels.InsertAsync(new LiveLabel { Name = $"label {i}" });
            await replica.ExportAsync();
        }

        next.IsCompleted.ShouldBeFalse();
        await todos.InsertAsync(new LiveTodo { Title = "open" });

        (await next.WaitAsync(Patience)).ShouldBeTrue();
        watch.Current.Select(t => t.Title).ShouldBe(["open"]);
        Volatile.Read(ref runs).ShouldBe(2); // the first run, and the one the todo woke: never one for a label
    }

    [Fact]
    public async Task WatchQuery_AWriteThatLeavesTheResultAsItWas_YieldsNothing()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("unchanged");
        var todos = replica.Collection<LiveTodo>();
        var done = (await todos.InsertAsync(new LiveTodo { Title = "done", Done = true })).Record!.Value;
        await using var watch = todos.Query().Where(t => !t.Done).Watch().GetAsyncEnumerator();
        (await NextAsync(watch)).ShouldBeEmpty();

        await todos.UpdateAsync(done, t => t with { Title = "still done" });
        await todos.InsertAsync(new LiveTodo { Title = "open" });

        (await NextAsync(watch)).Select(t => t.Title).ShouldBe(["open"]);
    }

    [Fact]
    public async Task Changes_NameTheCollectionsTheirCommitTouched_AndAReloadTouchesAll()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("named");
        await replica.Collection<LiveLabel>().InsertAsync(new LiveLabel { Name = "first" });
        var seen = new List<ReplicaChange>();
        replica.Changed += (_, change) => seen.Add(change);

        await replica.Collection<LiveLabel>().InsertAsync(new LiveLabel { Name = "second" });

        var change = seen.ShouldHaveSingleItem();
        change.Collections.ShouldBe(["labels"]);
        change.Touches("labels").ShouldBeTrue();
        change.Touches("todos").ShouldBeFalse();
        new ReplicaChange([], FromSync: true, Reloaded: true).Touches("todos").ShouldBeTrue();
    }

    [Fact]
    public async Task ObserveQuery_RaisesItsChangesOnTheGivenContext()
    {
        await using var world = await SyncWorld.StartAsync();
        using var ui = new UiContext();
        var replica = await world.OpenAsync("bound");
        var todos = replica.Collection<LiveTodo>();
        var kept = (await todos.InsertAsync(new LiveTodo { Title = "kept" })).Record!.Value;

        // Made on the UI thread: the list captures its context there.
        var list = await (await ui.RunAsync(() => todos.Query().ToObservableAsync())).WaitAsync(Patience);
        await using var _ = list;
        list.Select(t => t.Title).ShouldBe(["kept"]);
        var events = new List<(System.Collections.Specialized.NotifyCollectionChangedAction Action, int Thread)>();
        var counted = new SemaphoreSlim(0);
        list.CollectionChanged += (_, e) =>
        {
            lock (events)
            {
                events.Add((e.Action, Environment.CurrentManagedThreadId));
            }

            counted.Release();
        };
        var postsBefore = ui.Posts;

        var added = (await todos.InsertAsync(new LiveTodo { Title = "added" })).Record!.Value;
        (await counted.WaitAsync(Patience)).ShouldBeTrue();
        await todos.UpdateAsync(kept, t => t with { Title = "renamed" });
        (await counted.WaitAsync(Patience)).ShouldBeTrue();
        await todos.DeleteAsync(added);
        (await counted.WaitAsync(Patience)).ShouldBeTrue();

        lock (events)
        {
            events.Select(e => e.Action).ShouldBe([
                System.Collections.Specialized.NotifyCollectionChangedAction.Add,
                System.Collections.Specialized.NotifyCollectionChangedAction.Replace,
                System.Collections.Specialized.NotifyCollectionChangedAction.Remove]);
            events.ShouldAllBe(e => e.Thread == ui.ThreadId);
        }

        ui.Posts.ShouldBeGreaterThanOrEqualTo(postsBefore + 3);
        (await ui.RunAsync(() => list.Select(t => t.Title).ToList())).ShouldBe(["renamed"]);
    }

    private static async Task<IReadOnlyList<T>> NextAsync<T>(IAsyncEnumerator<IReadOnlyList<T>> watch)
    {
        (await watch.MoveNextAsync().AsTask().WaitAsync(Patience)).ShouldBeTrue();
        return watch.Current;
    }
}
