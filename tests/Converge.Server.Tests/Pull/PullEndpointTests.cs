using System.Net;
using System.Text.Json;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Server.Tests.Pull;

public sealed class PullEndpointTests
{
    [Fact]
    public async Task Pull_ReturnsExactlyTheIndexesAfterTheCursorUpToTheLimit()
    {
        await using var f = await ServerFixture.StartAsync();
        for (var i = 0; i < 9; i++)
        {
            await f.PushAsync(f.Writer.Create("person", $$"""{"name":"n{{i}}"}"""));
        }

        var page = await Wire.PullAsync(f.Client, ServerFixture.Stream, 3, 4);

        page.Actions.Select(a => a.Index).ShouldBe([4L, 5L, 6L, 7L]);
        page.Head.ShouldBe(10);
        page.ServerTime.ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
        (await Wire.PullAsync(f.Client, ServerFixture.Stream, 10)).Actions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pull_LoggedAction_CarriesIndexClientIdAndPrincipal_AndDecodes()
    {
        await using var f = await ServerFixture.StartAsync();
        var create = f.Writer.Create("person", """{"name":"Ann"}""");
        await f.PushAsync(create);

        var wire = (await Wire.PullAsync(f.Client, ServerFixture.Stream, 1)).Actions.ShouldHaveSingleItem();
        var logged = ActionCodec.DecodeLogged(wire);

        logged.IsOk.ShouldBeTrue();
        logged.Value!.Index.ShouldBe(2);
        logged.Value.ClientId.ShouldBe(f.ClientId);
        logged.Value.Principal.ShouldBe("alice");
        ActionBody.Serialize(logged.Value.Action).ShouldBe(ActionBody.Serialize(create));
    }

    [Fact]
    public async Task Pull_LimitAboveTheMaximum_IsClamped()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.MaxPullLimit = 3;
            o.DefaultPullLimit = 3;
        });
        for (var i = 0; i < 5; i++)
        {
            await f.PushAsync(f.Writer.Create("person", "{}"));
        }

        (await Wire.PullAsync(f.Client, ServerFixture.Stream, 0, 1_000_000)).Actions.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Pull_CursorPastTheHead_IsCursorAhead()
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=99");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("cursor_ahead");
    }

    [Fact]
    public async Task Pull_Answer_NamesThePrincipalTheServerTookTheCredentialFor()
    {
        await using var f = await ServerFixture.StartAsync();

        using var page = JsonDocument.Parse(await f.Client.GetStringAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=0"));

        page.RootElement.GetProperty("principal").GetString().ShouldBe("alice");
        JsonSerializer.Deserialize(page.RootElement, ConvergeJsonContext.Default.PullResponse)!.Actions.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Pull_CursorAhead_ProblemNamesThePrincipal_ButAnUnauthenticatedProblemNamesNone()
    {
        await using var f = await ServerFixture.StartAsync();

        using var ahead = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=99");
        using var stranger = new HttpClient { BaseAddress = f.Host.BaseAddress };
        using var refused = await stranger.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=99");

        using var problem = JsonDocument.Parse(await ahead.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("code").GetString().ShouldBe("cursor_ahead");
        problem.RootElement.GetProperty("principal").GetString().ShouldBe("alice");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var unauthorized = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        unauthorized.RootElement.TryGetProperty("principal", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("after=-1", "invalid_cursor")]
    [InlineData("after=abc", "invalid_cursor")]
    [InlineData("after=1.5", "invalid_cursor")]
    [InlineData("after=99999999999999999999999", "invalid_cursor")]
    [InlineData("after=0&limit=0", "invalid_limit")]
    [InlineData("after=0&limit=x", "invalid_limit")]
    [InlineData("after=0&client=nope", "invalid_client_id")]
    public async Task Pull_BadQuery_IsRejectedWithItsCode(string query, string code)
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Wire.ProblemCodeAsync(response)).ShouldBe(code);
    }

    [Fact]
    public async Task Pull_BelowTheCompactionHorizon_IsSnapshotRequired()
    {
        await using var f = await ServerFixture.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await f.PushAsync(f.Writer.Create("person", "{}"));
        }

        await f.Host.Maintenance.RunOnceAsync(forceSnapshot: true);

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=2");
        response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("snapshot_required");
        (await Wire.PullAsync(f.Client, ServerFixture.Stream, 5)).Actions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Compaction_WaitsForTheOldestNonStaleClient()
    {
        var time = new FakeTimeProvider();
        await using var host = await ServerHost.StartAsync(o => o.ClientStaleAfter = TimeSpan.FromDays(1), time: time);
        var token = await host.TokenAsync("alice", "s");
        using var client = host.Client(token);
        var writer = new ActionFactory(new Core.Clock.HybridClock(time, new Core.Clock.NodeId(1)));
        await Wire.PushAsync(client, "s", Guid.CreateVersion7(), writer.Schema(ServerFixture.Schema));
        for (var i = 0; i < 5; i++)
        {
            await Wire.PushAsync(client, "s", Guid.CreateVersion7(), writer.Create("person", "{}"));
        }

        using (var slow = await client.GetAsync($"/v1/streams/s/pull?after=2&client={Guid.CreateVersion7()}"))
        {
            slow.EnsureSuccessStatusCode();
        }

        await host.Maintenance.RunOnceAsync(forceSnapshot: true);
        (await host.Store.ReadAsync("s", 2, 10)).Horizon.ShouldBe(2);

        time.Advance(TimeSpan.FromDays(2));
        await host.Maintenance.RunOnceAsync();
        (await host.Store.ReadAsync("s", 6, 10)).Horizon.ShouldBe(6);
    }

    [Fact]
    public async Task Pull_ResponseBody_IsTheDocumentedShape()
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=0");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        document.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["actions", "head", "principal", "serverTime"]);
        document.RootElement.GetProperty("actions")[0].GetProperty("index").GetInt64().ShouldBe(1);
    }
}
