using Converge.Client.Lifecycle;
using Converge.Core;
using Converge.Testing;

namespace Converge.Client.Tests.Lifecycle;

public sealed class LifecycleTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"},"email":{"type":"string","unique":"value"}}}}""";

    [Fact]
    public async Task Action_GoesPendingThenConfirmed_AndAwaitingSeesIt()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        var write = await replica.CreateAsync("person", Json.Parse("""{"name":"Ann"}"""));
        (await replica.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Pending);

        var waiting = replica.WaitForConfirmationAsync(write.ActionId);
        waiting.IsCompleted.ShouldBeFalse();
        await replica.SyncAsync();
        var state = await waiting.WaitAsync(Eventually.Timeout);

        state.Status.ShouldBe(ActionStatus.Confirmed);
        state.Index.ShouldBe(2);
        (await replica.GetActionStateAsync(write.ActionId)).ShouldBe(state);
        (await replica.GetActionStateAsync(Guid.CreateVersion7())).Status.ShouldBe(ActionStatus.Unknown);
    }

    [Fact]
    public async Task RejectedAction_IsRolledBackKeptAndAwaitable()
    {
        await using var world = await SyncWorld.StartAsync();
        var first = await world.OpenAsync("first");
        var second = await world.OpenAsync("second");
        await first.DefineSchemaAsync(SyncWorld.Schema(People));
        await first.CreateAsync("person", Json.Parse("""{"email":"taken@example.com"}"""));
        await first.SyncAsync();
        await second.DefineSchemaAsync(SyncWorld.Schema(People));
        var clash = await second.CreateAsync("person", Json.Parse("""{"email":"taken@example.com","name":"second"}"""));
        (await second.GetAsync("person", clash.Record!.Value)).ShouldNotBeNull();

        var waiting = second.WaitForConfirmationAsync(clash.ActionId);
        await second.SyncAsync();
        var state = await waiting.WaitAsync(Eventually.Timeout);

        state.Status.ShouldBe(ActionStatus.Rejected);
        state.Code.ShouldBe(RejectionCodes.UniqueViolation);
        (await second.GetAsync("person", clash.Record.Value)).ShouldBeNull();
        var kept = (await second.GetRejectionsAsync()).ShouldHaveSingleItem();
        kept.Action.Id.ShouldBe(clash.ActionId);
        kept.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task LocallyRejectedWrite_IsNotQueuedButIsKept()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");

        var write = await replica.CreateAsync("nowhere", Json.Parse("""{"x":1}"""));

        write.IsRejected.ShouldBeTrue();
        write.Rejection!.Code.ShouldBe(RejectionCodes.UnknownCollection);
        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await replica.GetRejectionsAsync()).ShouldHaveSingleItem().Code.ShouldBe(RejectionCodes.UnknownCollection);
        (await replica.WaitForConfirmationAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Rejected);
    }

    [Fact]
    public async Task Write_OfJsonThatIsNotText_IsRefusedAtOnce_AndNothingIsWritten()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        await replica.DefineSchemaAsync(SyncWorld.Schema("""{"note":{"open":true,"fields":{"tags":{"type":"string","cardinality":"many"}}}}"""));
        var id = (await replica.CreateAsync("note", Json.Parse("""{"text":"ok"}"""))).Record!.Value;
        var before = await replica.ExportAsync();

        await Should.ThrowAsync<ArgumentException>(() => replica.CreateAsync("note", Json.Parse("""{"text":"\ud800"}""")));
        await Should.ThrowAsync<ArgumentException>(() => replica.UpdateAsync("note", id, Json.Parse("""{"x":{"\udc00":1}}""")));
        await Should.ThrowAsync<ArgumentException>(() => replica.AddAsync("note", id, "tags", Json.Parse("\"\ud800\"")));

        (await replica.ExportAsync()).ShouldBe(before);
        (await replica.GetPendingAsync()).Count.ShouldBe(2);
        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClearRejections_EmptiesTheListAndTheCount_AndTheActionsStayRejected()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var first = await replica.CreateAsync("nowhere", Json.Parse("""{"x":1}"""));
        await replica.CreateAsync("nowhere", Json.Parse("""{"x":2}"""));

        (await replica.ClearRejectionsAsync()).ShouldBe(2);

        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
        (await replica.GetStatusAsync()).Rejections.ShouldBe(0, "a cleared rejection is not counted");
        (await replica.GetActionStateAsync(first.ActionId)).Status.ShouldBe(ActionStatus.Rejected);
        (await replica.ClearRejectionsAsync()).ShouldBe(0);
        var later = await replica.CreateAsync("nowhere", Json.Parse("""{"x":3}"""));
        (await replica.GetRejectionsAsync()).ShouldHaveSingleItem().Action.Id.ShouldBe(later.ActionId);
    }

    [Fact]
    public async Task PendingAndSent_AreVisibleBeforeConfirmation()
    {
        await using var world = await SyncWorld.StartAsync();
        LossyTransport? lossy = null;
        var replica = await world.OpenAsync("one", configure: o =>
        {
            lossy = new LossyTransport(new Transport.HttpSyncTransport(new Transport.HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() }));
            o.Transport = lossy;
        });
        var write = await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        lossy!.LoseNextPushReplies = 1;

        await Should.ThrowAsync<Core.Errors.TransportException>(() => replica.SyncAsync());

        (await replica.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Sent);
        (await replica.GetPendingAsync()).ShouldHaveSingleItem().Status.ShouldBe(ActionStatus.Sent);
        await replica.SyncAsync();
        (await replica.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
    }
}
