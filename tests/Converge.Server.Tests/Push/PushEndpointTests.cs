using Converge.Core;
using Converge.Core.Clock;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Server.Tests.Push;

public sealed class PushEndpointTests
{
    [Fact]
    public async Task Push_Actions_GetOneResultEachInOrderWithNextIndexes()
    {
        await using var f = await ServerFixture.StartAsync();
        var a = f.Writer.Create("person", """{"name":"Ann"}""");
        var bad = f.Writer.Create("animal", """{"name":"Rex"}""");
        var b = f.Writer.Create("person", """{"name":"Bob"}""");

        var response = await f.PushAsync(a, bad, b);

        response.Results.Select(r => r.Id).ShouldBe([a.Id.ToString(), bad.Id.ToString(), b.Id.ToString()]);
        response.Results.Select(r => r.Status).ShouldBe(["accepted", "rejected", "accepted"]);
        response.Results.Select(r => r.Index).ShouldBe([2L, null, 3L]);
        response.Results[1].Code.ShouldBe(RejectionCodes.UnknownCollection);
        response.Results[1].Message.ShouldNotBeNullOrWhiteSpace();
        response.Head.ShouldBe(3);
        response.ServerTime.ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task Push_RetriedAfterLostReply_IsDuplicateWithTheSameIndex()
    {
        await using var f = await ServerFixture.StartAsync();
        var a = f.Writer.Create("person", """{"name":"Ann"}""");
        var b = f.Writer.Create("person", """{"name":"Bob"}""");
        var first = await f.PushAsync(a, b);

        var retry = await f.PushAsync(a, b);

        retry.Results.Select(r => r.Status).ShouldBe(["duplicate", "duplicate"]);
        retry.Results.Select(r => r.Index).ShouldBe(first.Results.Select(r => r.Index));
        retry.Head.ShouldBe(3);
        (await Wire.PullAsync(f.Client, ServerFixture.Stream, 0)).Actions.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Push_SameIdOtherBody_IsRejectedIdReused()
    {
        await using var f = await ServerFixture.StartAsync();
        var a = f.Writer.Create("person", """{"name":"Ann"}""");
        await f.PushAsync(a);

        var forged = a with { Fields = a.Fields.SetItem("name", Json.Parse("\"Eve\"")) };
        var result = (await f.PushAsync(forged)).Results.ShouldHaveSingleItem();

        result.Status.ShouldBe("rejected");
        result.Code.ShouldBe(RejectionCodes.IdReused);
        (await f.ExportAsync()).ShouldContain("Ann");
        (await f.ExportAsync()).ShouldNotContain("Eve");
    }

    [Fact]
    public async Task Push_RejectedActionRetried_GetsTheSameRejectionEvenWhenItWouldPassNow()
    {
        await using var f = await ServerFixture.StartAsync();
        var holder = f.Writer.Create("person", """{"email":"a@example.com"}""");
        await f.PushAsync(holder);
        var clash = f.Writer.Create("person", """{"email":"a@example.com"}""");
        (await f.PushAsync(clash)).Results.ShouldHaveSingleItem().Code.ShouldBe(RejectionCodes.UniqueViolation);
        await f.PushAsync(f.Writer.Delete("person", holder.Record));

        var retry = (await f.PushAsync(clash)).Results.ShouldHaveSingleItem();

        retry.Status.ShouldBe("rejected");
        retry.Code.ShouldBe(RejectionCodes.UniqueViolation);
        (await f.ExportAsync()).ShouldNotContain(clash.Record.ToString());
    }

    [Fact]
    public async Task Push_DriftRejectedActionRestamped_IsAccepted_ButTheOldBodyNeverIs()
    {
        await using var f = await ServerFixture.StartAsync();
        var ahead = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId(7), new HybridClockState(0, TimeSpan.FromMinutes(5).Ticks)));
        var future = ahead.Create("person", """{"name":"early bird"}""");
        (await f.PushAsync(future)).Results.ShouldHaveSingleItem().Code.ShouldBe(RejectionCodes.ClockDrift);

        var restamped = future with { Hlc = f.Writer.Clock.Next() };
        (await f.PushAsync(restamped)).Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
        var stale = (await f.PushAsync(future)).Results.ShouldHaveSingleItem();

        stale.Code.ShouldBe(RejectionCodes.IdReused);
        (await f.HeadAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Push_DuplicateInsideOneBatch_IsDuplicateOfTheFirst()
    {
        await using var f = await ServerFixture.StartAsync();
        var a = f.Writer.Create("person", """{"name":"Ann"}""");

        var response = await f.PushAsync(a, a);

        response.Results.Select(r => r.Status).ShouldBe(["accepted", "duplicate"]);
        response.Results[1].Index.ShouldBe(response.Results[0].Index);
    }

    [Fact]
    public async Task Push_StampedAheadOfTheServer_IsRejectedClockDrift()
    {
        await using var f = await ServerFixture.StartAsync();
        // Minutes ahead, not seconds: the stamp is taken on the real clock before the push, and on a loaded machine the
        // push may reach the server seconds later, by which time a stamp 5 s ahead is within the allowed 100 ms.
        var ahead = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId(7), new HybridClockState(0, TimeSpan.FromMinutes(5).Ticks)));

        var result = (await f.PushAsync(ahead.Create("person", """{"name":"Future"}"""))).Results.ShouldHaveSingleItem();

        result.Code.ShouldBe(RejectionCodes.ClockDrift);
        result.Message!.ShouldContain("ms ahead");
        (await f.HeadAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Push_WithinAConfiguredDrift_IsAccepted()
    {
        await using var f = await ServerFixture.StartAsync(o => o.AllowedClockDrift = TimeSpan.FromSeconds(10));
        var ahead = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId(7), new HybridClockState(0, TimeSpan.FromSeconds(5).Ticks)));

        (await f.PushAsync(ahead.Create("person", """{"name":"Soon"}"""))).Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
    }

    [Fact]
    public async Task Push_UniqueValueTaken_IsRejectedAndLeavesTheStateAlone()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PushAsync(f.Writer.Create("person", """{"email":"a@example.com"}"""));
        var before = await f.ExportAsync();

        var result = (await f.PushAsync(f.Writer.Create("person", """{"email":"a@example.com"}"""))).Results.ShouldHaveSingleItem();

        result.Code.ShouldBe(RejectionCodes.UniqueViolation);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Push_ToAnotherPrincipalsOwnedRecord_IsRejectedNotOwner()
    {
        await using var f = await ServerFixture.StartAsync();
        var note = f.Writer.Create("note", """{"text":"alice's"}""");
        await f.PushAsync(note);
        var bobToken = await f.Host.TokenAsync("bob", ServerFixture.Stream);
        using var bob = f.Host.Client(bobToken);

        var result = (await Wire.PushAsync(bob, ServerFixture.Stream, Guid.CreateVersion7(), f.Writer.Update("note", note.Record, """{"text":"bob was here"}"""))).Results.ShouldHaveSingleItem();

        result.Code.ShouldBe(RejectionCodes.NotOwner);
        (await f.ExportAsync()).ShouldContain("alice's");
    }

    [Fact]
    public async Task Push_EightConcurrentPushers_GiveIndexesOneToNExactlyOnce()
    {
        await using var f = await ServerFixture.StartAsync();
        const int Pushers = 8;
        const int Batches = 10;
        const int PerBatch = 5;

        var accepted = await Task.WhenAll(Enumerable.Range(0, Pushers).Select(p => Task.Run(async () =>
        {
            var writer = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId((UInt128)(100 + p))));
            var client = Guid.CreateVersion7();
            var indexes = new List<long>();
            for (var b = 0; b < Batches; b++)
            {
                var actions = Enumerable.Range(0, PerBatch).Select(i => (Core.Actions.ConvergeAction)writer.Create("person", $$"""{"name":"p{{p}}-{{b}}-{{i}}"}""")).ToArray();
                var response = await Wire.PushAsync(f.Client, ServerFixture.Stream, client, actions);
                indexes.AddRange(response.Results.Select(r => r.Index!.Value));
            }

            return indexes;
        })));

        var all = accepted.SelectMany(i => i).Order().ToList();
        all.ShouldBe(Enumerable.Range(2, Pushers * Batches * PerBatch).Select(i => (long)i));
        var log = await Wire.PullAsync(f.Client, ServerFixture.Stream, 0, 1000);
        log.Actions.Select(a => a.Index!.Value).ShouldBe(Enumerable.Range(1, (Pushers * Batches * PerBatch) + 1).Select(i => (long)i));
        log.Actions.Select(a => a.Id).Distinct().Count().ShouldBe(log.Actions.Count);
    }
    [Fact]
    public async Task Push_ConcurrentPushesSharingCommits_EachAnsweredOnlyOnceVisibleAndRejectionsStayTheirOwn()
    {
        await using var f = await ServerFixture.StartAsync();
        var holder = f.Writer.Create("person", """{"email":"taken@example.com"}""");
        await f.PushAsync(holder);
        const int Pushers = 8;
        const int Batches = 8;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Pushers).Select(p => Task.Run(async () =>
        {
            var writer = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId((UInt128)(200 + p))));
            var client = Guid.CreateVersion7();
            var (accepted, rejected) = (0, 0);
            for (var b = 0; b < Batches; b++)
            {
                // Every other push of every pusher carries an action the server must reject (a unique value clash).
                var actions = new List<Core.Actions.ConvergeAction> { writer.Create("person", $$"""{"name":"p{{p}}-{{b}}"}""") };
                if (b % 2 == 1)
                {
                    actions.Add(writer.Create("person", """{"email":"taken@example.com"}"""));
                }

                actions.Add(writer.Create("person", $$"""{"name":"q{{p}}-{{b}}"}"""));
                var response = await Wire.PushAsync(f.Client, ServerFixture.Stream, client, [.. actions]);

                // Answered only once committed: another connection already sees every index the answer gives.
                (await f.HeadAsync()).ShouldBeGreaterThanOrEqualTo(response.Results.Max(r => r.Index ?? 0));
                response.Results.Select(r => r.Status).ShouldBe(b % 2 == 1 ? ["accepted", "rejected", "accepted"] : ["accepted", "accepted"]);
                accepted += response.Results.Count(r => r.Status == "accepted");
                rejected += response.Results.Count(r => r.Status == "rejected");
            }

            return (accepted, rejected);
        })));

        outcomes.Sum(o => o.accepted).ShouldBe(Pushers * Batches * 2);
        outcomes.Sum(o => o.rejected).ShouldBe(Pushers * Batches / 2);
        var log = await Wire.PullAsync(f.Client, ServerFixture.Stream, 0, 1000);
        log.Actions.Select(a => a.Index!.Value).ShouldBe(Enumerable.Range(1, (Pushers * Batches * 2) + 2).Select(i => (long)i));
        (await f.ExportAsync()).Split("taken@example.com").Length.ShouldBe(2);
    }
}
