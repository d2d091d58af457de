using Converge.Core;
using Converge.Core.Actions;
using Converge.Testing;

namespace Converge.Server.Tests.Push;

/// <summary>A push that outlasts its turn at the writer goes on in further turns, with the same answers as in one.</summary>
public sealed class PushTurnTests
{
    [Fact]
    public async Task Push_DecidedOverManyTurns_AnswersAsInOne_WithGaplessIndexes()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxWriteTurn = TimeSpan.FromTicks(1));
        var creates = Enumerable.Range(0, 20).Select(i => f.Writer.Create("person", $$"""{"name":"p{{i}}","email":"p{{i}}@example.com"}""")).ToList();
        var actions = new List<ConvergeAction>(creates);
        actions.Add(creates[3]);
        actions.Add(f.Writer.Update("person", creates[5].Record, """{"name":"renamed"}"""));
        actions.Add(f.Writer.Create("person", """{"email":"p7@example.com"}"""));
        actions.Add(f.Writer.Increment("person", creates[9].Record, "visits", 2));
        var head = await f.HeadAsync();

        var response = await f.PushAsync([.. actions]);

        response.Results.Count.ShouldBe(actions.Count);
        response.Results.Select(r => r.Id).ShouldBe(actions.Select(a => a.Id.ToString("D")));
        response.Results.Take(20).Select(r => r.Index).ShouldBe(Enumerable.Range(1, 20).Select(i => (long?)(head + i)));
        response.Results[20].Status.ShouldBe("duplicate");
        response.Results[20].Index.ShouldBe(head + 4);
        response.Results[21].Index.ShouldBe(head + 21);
        response.Results[22].Code.ShouldBe(RejectionCodes.UniqueViolation);
        response.Results[23].Index.ShouldBe(head + 22);
        response.Head.ShouldBe(head + 22);
        (await Wire.PullAsync(f.Client, ServerFixture.Stream, head)).Actions.Select(a => a.Index).ShouldBe(Enumerable.Range(1, 22).Select(i => (long?)(head + i)));
        var export = await f.ExportAsync();
        export.ShouldContain("renamed");
        export.ShouldContain("\"visits\":2");
    }

    [Theory]
    [InlineData(true, 10)]
    [InlineData(false, 1)]
    public async Task Push_WhileOtherStreamsWait_LetsThemInAfterEachShortTurn(bool othersWaiting, int sessions)
    {
        using var directory = new TempDirectory();
        TurnCountingStore? store = null;
        await using var host = await ServerHost.StartAsync(
            o =>
            {
                o.MaxWriteTurn = TimeSpan.FromHours(1);
                o.YieldWriteAfter = TimeSpan.FromTicks(1);
            },
            store: b => Microsoft.Extensions.DependencyInjection.ConvergeServiceCollectionExtensions.UseStore(b, _ => store = new TurnCountingStore(new Converge.Server.Sqlite.SqliteConvergeStore(directory.File("server.db")), othersWaiting)));
        using var client = host.Client(await host.TokenAsync("alice", "team"));
        var writer = new ActionFactory(new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(7)));
        await Wire.PushAsync(client, "team", Guid.CreateVersion7(), writer.Schema(ServerFixture.Schema));
        store!.Sessions.Clear();

        var response = await Wire.PushAsync(client, "team", Guid.CreateVersion7(), [.. Enumerable.Range(0, 10).Select(i => writer.Create("person", $$"""{"name":"p{{i}}"}"""))]);

        response.Results.ShouldAllBe(r => r.Status == "accepted");
        response.Head.ShouldBe(11);
        store.Sessions["team"].ShouldBe(sessions);
    }

    [Fact]
    public void Options_WriteTurnMustBePositive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new Converge.Server.Hosting.ConvergeServerOptions { MaxWriteTurn = TimeSpan.Zero }.Validate());
        Should.Throw<ArgumentOutOfRangeException>(() => new Converge.Server.Hosting.ConvergeServerOptions { YieldWriteAfter = TimeSpan.Zero }.Validate());
    }
}
