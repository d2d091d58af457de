using Converge.Client.Query;
using Converge.Testing;

namespace Converge.Client.Tests.Query;

public sealed class QueryTableCacheTests
{
    [Fact]
    public async Task QueryAsync_AfterASchemaActionAddsAField_SeesTheNewColumn()
    {
        using var directory = new TempDirectory();
        await using var replica = Replica.Open(new ReplicaOptions { Path = directory.File("r.db"), Stream = "s", Watch = false });
        await replica.DefineSchemaAsync(SyncWorld.Schema("""{"note":{"fields":{"text":{"type":"string"}}}}"""));
        await replica.CreateAsync("note", Json.Parse("""{"text":"first"}"""));
        var byDue = new ReplicaQueryOptions { Where = [new QueryFilter("due", QueryOperator.Equal, Json.Parse("3"))] };

        Should.Throw<ArgumentException>(() => replica.QueryAsync("note", byDue));

        // Every read connection of the pool looks the table up (and would keep it) before the field exists; a read that
        // succeeds keeps its connection in the pool (a failed one closes it).
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i => (await replica.QueryAsync("note", new ReplicaQueryOptions())).Single().TryGetProperty("due", out _).ShouldBeFalse()));

        await replica.DefineSchemaAsync(SyncWorld.Schema("""{"note":{"fields":{"text":{"type":"string"},"due":{"type":"long"}}}}"""));
        await replica.CreateAsync("note", Json.Parse("""{"text":"second","due":3}"""));
        for (var i = 0; i < 8; i++)
        {
            (await replica.QueryAsync("note", byDue)).Single().GetProperty("text").GetString().ShouldBe("second");
        }
    }
}
