using System.Text.Json;
using Converge.Client.Query;
using Converge.Client.Typed;
using Converge.Testing;

namespace Converge.Client.Tests.Query;

public sealed class QuerySurfaceTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private Replica _replica = null!;
    private ReplicaCollection<Item> _items = null!;

    public async Task InitializeAsync()
    {
        _replica = Replica.Open(new ReplicaOptions { Path = _directory.File("r.db"), Stream = "s", Watch = false });
        _items = _replica.Collection<Item>();
        await _items.InsertAsync(new Item { Id = QueryOperatorTests.Id(1), Code = "a", Title = "apple", Rank = 2, Price = 1.50m, Tags = ["x"] });
        await _items.InsertAsync(new Item { Id = QueryOperatorTests.Id(2), Code = "b", Title = "bean", Rank = 5, Price = 10m, Token = QueryOperatorTests.Id(1) });
    }

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Where_Untranslatable_ThrowsNotSupportedNamingTheExpression()
    {
        (await Should.ThrowAsync<NotSupportedException>(() => _items.Query().Where(t => t.Title!.Length > 3).ToListAsync())).Message.ShouldContain("t.Title.Length");
        (await Should.ThrowAsync<NotSupportedException>(() => _items.Query().Where(t => t.Rank == t.Visits).ToListAsync())).Message.ShouldContain("t.Rank");
        (await Should.ThrowAsync<NotSupportedException>(() => _items.Query().Where(t => t.Title!.StartsWith("ap")).ToListAsync())).Message.ShouldContain("culture");
        (await Should.ThrowAsync<NotSupportedException>(() => _items.Query().Where(t => (t.Rank > 1 ? t.Title : t.Code) == "a").ToListAsync())).Message.ShouldContain("IIF");
        await Should.ThrowAsync<NotSupportedException>(() => _items.Query().Where(t => t.Tags == null).Where(t => t.Tags.Count == 1).ToListAsync());
        await Should.ThrowAsync<NotSupportedException>(() => _items.Query().OrderBy(t => t.Rank * 2).ToListAsync());
        await Should.ThrowAsync<NotSupportedException>(() => _items.Query().OrderBy(t => t.Tags).ToListAsync());
        Should.Throw<NotSupportedException>(() => _items.Query().Take(1).Where(t => t.Done));
    }

    [Fact]
    public async Task QueryAsync_RawOptions_FiltersSortsAndPagesInSql()
    {
        var rows = await _replica.QueryAsync("items", new ReplicaQueryOptions
        {
            Where = [new QueryFilter("price", QueryOperator.GreaterThan, JsonDocument.Parse("1.5").RootElement)],
            OrderBy = [new QueryOrder("rank", Descending: true)],
            Limit = 5,
        });
        rows.Select(r => r.GetProperty("code").GetString()).ShouldBe(["b"]);
        var tagged = await _replica.QueryAsync("items", new ReplicaQueryOptions { Where = [new QueryFilter("tags", QueryOperator.Contains, JsonDocument.Parse("\"x\"").RootElement)] });
        tagged.Single().GetProperty("price").GetRawText().ShouldBe("1.50");
        Should.Throw<ArgumentException>(() => _replica.QueryAsync("items", new ReplicaQueryOptions { Where = [new QueryFilter("nope", QueryOperator.Equal, JsonDocument.Parse("1").RootElement)] }));
        (await _replica.QueryAsync("absent", new ReplicaQueryOptions())).ShouldBeEmpty();
    }

    [Fact]
    public async Task QuerySqlAsync_JoinsAndAggregatesOverViewsNamedAfterCollections()
    {
        var rows = await _replica.QuerySqlAsync(
            "SELECT a.code AS code, b.code AS target, (SELECT sum(rank) FROM items) AS total FROM items a JOIN items b ON b.token = a.id WHERE a.rank >= $min",
            new Dictionary<string, object?> { ["$min"] = 1 });
        rows.Single().GetRawText().ShouldBe("""{"code":"a","target":"b","total":7}""");
        var typed = await _replica.QuerySqlAsync("SELECT code, rank FROM items ORDER BY price COLLATE cv_decimal DESC", SqlRowJson.Default.SqlRow);
        typed.ShouldBe([new SqlRow("b", 5), new SqlRow("a", 2)]);
    }

    [Fact]
    public async Task QuerySqlAsync_AWrite_FailsAndChangesNothing()
    {
        await Should.ThrowAsync<Microsoft.Data.Sqlite.SqliteException>(() => _replica.QuerySqlAsync("DELETE FROM cv_records"));
        await Should.ThrowAsync<Microsoft.Data.Sqlite.SqliteException>(() => _replica.QuerySqlAsync("ATTACH 'x.db' AS x"));
        (await _items.Query().CountAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Indexes_IndexedAttributeAndCreateIndex_AreInTheSchemaAndUsedByThePlanner()
    {
        (await _items.Query().Where(t => t.Title == "apple").CountAsync()).ShouldBe(1);
        var name = await _replica.CreateIndexAsync("items", "rank", "price");
        (await _replica.CreateIndexAsync("items", "rank", "price")).ShouldBe(name);
        var plan = await _replica.ReadTableAsync("items", (connection, table) =>
        {
            var indexes = Strings(connection, $"SELECT name FROM sqlite_temp_master WHERE type = 'index' AND tbl_name = '{table!.Name}' UNION SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table.Name}'");
            var explained = Strings(connection, $"EXPLAIN QUERY PLAN SELECT id FROM \"{table.Name}\" WHERE \"rank\" = 5 AND \"price\" > '1'");
            var byTitle = Strings(connection, $"EXPLAIN QUERY PLAN SELECT id FROM \"{table.Name}\" WHERE \"title\" = 'x'");
            return (indexes, explained, byTitle);
        }, CancellationToken.None);
        plan.indexes.ShouldContain(name);
        plan.indexes.Count(n => n.StartsWith("cvi_", StringComparison.Ordinal)).ShouldBe(3);
        string.Join("\n", plan.explained).ShouldContain($"USING INDEX {name}");
        string.Join("\n", plan.byTitle).ShouldContain("USING INDEX");
        (await _replica.DropIndexAsync("items", "rank", "price")).ShouldBeTrue();
        (await _replica.DropIndexAsync("items", "rank", "price")).ShouldBeFalse();
        await Should.ThrowAsync<ArgumentException>(() => _replica.CreateIndexAsync("items", "tags"));
        await Should.ThrowAsync<ArgumentException>(() => _replica.CreateIndexAsync("nothing", "rank"));
    }

    private static List<string> Strings(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var found = new List<string>();
        while (reader.Read())
        {
            found.Add(reader.GetString(reader.FieldCount - 1));
        }

        return found;
    }
}
