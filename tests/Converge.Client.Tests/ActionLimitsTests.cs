using System.Net.Http.Headers;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Client.Tests;

/// <summary>A replica checks each write against the limits its server told, not against defaults the server may not use.</summary>
public sealed class ActionLimitsTests
{
    private const string Notes = """{"note":{"fields":{"text":{"type":"string"}}}}""";

    [Fact]
    public async Task Write_AfterOneSyncWithAServerOfSmallerStringLimit_IsRefusedLocallyWithTheServersCode()
    {
        await using var world = await SyncWorld.StartAsync(o => o.MaxStringBytes = 1000);
        var replica = await world.OpenAsync("one");
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        await replica.SyncAsync();

        var write = await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('s', 1200)}}"}"""));

        write.IsRejected.ShouldBeTrue();
        write.Rejection!.Code.ShouldBe(JsonLimitCodes.StringTooLong);
        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await ServerCodeAsync(world, new string('s', 1200))).ShouldBe(write.Rejection.Code);
    }

    [Fact]
    public async Task Write_AfterOneSyncWithAServerOfSmallerRecordLimit_IsRefusedLocallyWithTheServersCode()
    {
        await using var world = await SyncWorld.StartAsync(o => o.MaxRecordBytes = 600);
        var replica = await world.OpenAsync("one");
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        await replica.SyncAsync();

        var write = await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('r', 800)}}"}"""));

        write.Rejection.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.RecordTooLarge);
        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await ServerCodeAsync(world, new string('r', 800))).ShouldBe(RejectionCodes.RecordTooLarge);
    }

    [Fact]
    public async Task Write_ReopenedAfterASync_KeepsTheServersLimitsWithoutAskingAgain()
    {
        await using var world = await SyncWorld.StartAsync(o => o.MaxStringBytes = 1000);
        await using (var first = await world.OpenAsync("kept"))
        {
            await first.DefineSchemaAsync(SyncWorld.Schema(Notes));
            await first.SyncAsync();
        }

        await using var reopened = await world.OpenAsync("kept", configure: o => o.Server = new Uri("http://127.0.0.1:9/"));

        var write = await reopened.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('k', 1200)}}"}"""));

        write.Rejection.ShouldNotBeNull().Code.ShouldBe(JsonLimitCodes.StringTooLong);
    }

    [Fact]
    public async Task Write_BeforeAnySync_IsCheckedAgainstTheDefaults()
    {
        await using var world = await SyncWorld.StartAsync(o => o.MaxStringBytes = 1000);
        var replica = await world.OpenAsync("one");
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));

        var write = await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('d', 1200)}}"}"""));

        write.IsRejected.ShouldBeFalse();
        (await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('d', (256 * 1024) + 1)}}"}"""))).Rejection.ShouldNotBeNull().Code.ShouldBe(JsonLimitCodes.StringTooLong);
    }

    /// <summary>The code the server itself answers for a push of a note with this text: a request problem's, else the action's rejection.</summary>
    private static async Task<string?> ServerCodeAsync(SyncWorld world, string text)
    {
        using var http = new HttpClient { BaseAddress = world.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await world.Host.TokenAsync("alice", SyncWorld.Stream));
        var writer = new ActionFactory(new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(7)));
        var action = writer.Create("note", $$"""{"text":"{{text}}"}""");
        using var response = await Wire.PushRawAsync(http, SyncWorld.Stream, Wire.PushBody(Guid.CreateVersion7(), action));
        if (!response.IsSuccessStatusCode)
        {
            return await Wire.ProblemCodeAsync(response);
        }

        var answer = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(), ConvergeJsonContext.Default.PushResponse)!;
        return answer.Results.ShouldHaveSingleItem().Code;
    }
}
