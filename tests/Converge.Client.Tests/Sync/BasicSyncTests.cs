using Converge.Client.Sync;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

public sealed class BasicSyncTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"},"age":{"type":"long"},"tags":{"type":"string","cardinality":"many"},"visits":{"type":"long","counter":true}}}}""";

    [Fact]
    public async Task TwoReplicas_WriteAndSync_ConvergeWithTheServer()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        await one.DefineSchemaAsync(SyncWorld.Schema(People));
        var ann = await one.CreateAsync("person", Json.Parse("""{"name":"Ann","visits":1}"""));

        var report = await one.SyncAsync();
        report.Kind.ShouldBe(SyncKind.PushedOnly);
        report.Accepted.Length.ShouldBe(2);
        await two.SyncAsync();
        await two.IncrementAsync("person", ann.Record!.Value, "visits", 2);
        await two.AddAsync("person", ann.Record.Value, "tags", Json.Parse("\"x\""));

        var export = await world.ConvergeAsync(one, two);

        export.ShouldContain("\"name\":\"Ann\",\"tags\":[\"x\"],\"visits\":3");
        (await one.GetStatusAsync()).Pending.ShouldBe(0);
        (await two.GetStatusAsync()).Cursor.ShouldBe(4);
    }

    [Fact]
    public async Task Write_WorksOfflineAndIsVisibleAtOnce()
    {
        await using var world = await SyncWorld.StartAsync();
        var offline = await world.OpenAsync("offline", configure: o => o.Server = new Uri("http://127.0.0.1:1/"));
        await offline.DefineSchemaAsync(SyncWorld.Schema(People));

        var write = await offline.CreateAsync("person", Json.Parse("""{"name":"Plane"}"""));

        (await offline.GetAsync("person", write.Record!.Value))!.Value.GetProperty("name").GetString().ShouldBe("Plane");
        (await offline.GetStatusAsync()).Pending.ShouldBe(2);
        await Should.ThrowAsync<Core.Errors.TransportException>(() => offline.SyncAsync());
        (await offline.GetStatusAsync()).Pending.ShouldBe(2);
    }

    [Fact]
    public async Task Reopen_KeepsWritesPendingAndClientId()
    {
        await using var world = await SyncWorld.StartAsync();
        var first = await world.OpenAsync("reopen");
        var clientId = first.ClientId;
        await first.DefineSchemaAsync(SyncWorld.Schema(People));
        await first.DisposeAsync();

        var again = await world.OpenAsync("reopen");

        again.ClientId.ShouldBe(clientId);
        (await again.GetStatusAsync()).Pending.ShouldBe(1);
        await again.SyncAsync();
        (await again.GetStatusAsync()).Pending.ShouldBe(0);
    }
}
