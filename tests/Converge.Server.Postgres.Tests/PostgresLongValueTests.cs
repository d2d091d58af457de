using Converge.Server.Auth;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Postgres.Tests;

/// <summary>
/// Over HTTP on PostgreSQL: strings far longer than an index row, as set elements and unique values, are accepted like
/// any other (set elements this long on a server that allows them: the default MaxElementBytes is 1 KiB).
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresLongValueTests(PostgresFixture postgres)
{
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public async Task Push_SetElementAndUniqueValueOf64KiB_AreAcceptedPulledAndTheValueStaysUnique()
    {
        var connection = await postgres.Cluster.CreateDatabaseAsync();
        await using var server = await ServerHost.StartAsync(o => o.MaxElementBytes = 128 * 1024, store: b => b.UsePostgres(connection));
        var token = await ConvergeCredentials.CreateAsync(server.Store, "alice", ["s"], TimeProvider.System);
        using var client = server.Client(token);
        var tag = Base64(3, 64 * 1024);
        var code = Base64(4, 64 * 1024);
        var schema = _factory.Schema("""{"doc":{"fields":{"tags":{"type":"string","cardinality":"many"},"code":{"type":"string","unique":"value"}}}}""");
        var first = _factory.Create("doc", $$"""{"code":"{{code}}"}""");

        var pushed = await Wire.PushAsync(client, "s", Guid.CreateVersion7(), schema, first, _factory.Add("doc", first.Record, "tags", $"\"{tag}\""), _factory.Create("doc", $$"""{"code":"{{code}}"}"""));
        var removed = await Wire.PushAsync(client, "s", Guid.CreateVersion7(), _factory.Remove("doc", first.Record, "tags", $"\"{tag}\""));

        pushed.Results.Select(r => r.Status).ShouldBe(["accepted", "accepted", "accepted", "rejected"]);
        pushed.Results[3].Code.ShouldBe("unique_violation");
        removed.Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
        (await Wire.PullAsync(client, "s", 0)).Actions.Count.ShouldBe(4);
    }

    private static string Base64(int seed, int length)
    {
        var bytes = new byte[(length * 3 / 4) + 3];
        new Random(seed).NextBytes(bytes);
        return Convert.ToBase64String(bytes)[..length];
    }
}
