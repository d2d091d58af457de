using System.Linq.Expressions;
using Converge.Client.Query;
using Converge.Sqlite;
using Converge.Testing;

namespace Converge.Client.Tests.Query;

/// <summary>The SQL a typed query becomes lets SQLite use the collection's indexes (what Q1 of docs/performance.md measures).</summary>
public sealed class QueryPlanTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private Replica _replica = null!;

    public async Task InitializeAsync()
    {
        _replica = Replica.Open(new ReplicaOptions { Path = _directory.File("r.db"), Stream = "s", Watch = false });
        await _replica.Collection<Item>().InsertAsync(new Item { Id = QueryOperatorTests.Id(1), Code = "a", Due = DateTimeOffset.UnixEpoch });
        _ = await _replica.Collection<Item>().Query().Take(1).ToListAsync();
    }

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Translate_AFilterOnAnIndexedFieldWithoutOrderOrTake_UsesTheFieldsIndex()
    {
        var cutoff = DateTimeOffset.UnixEpoch;
        var plan = await PlanAsync(t => t.Due < cutoff && !t.Done, take: null);

        plan.ShouldContain("USING INDEX cvi_");
        plan.ShouldNotContain("sqlite_autoindex");
    }

    [Fact]
    public async Task Translate_AFilterWithTake_KeepsTheIdOrderTheIndexGives()
    {
        var plan = await PlanAsync(t => !t.Done, take: 20);

        plan.ShouldNotContain("TEMP B-TREE");
    }

    private Task<string> PlanAsync(Expression<Func<Item, bool>> filter, int? take)
    {
        var fields = _replica.Collection<Item>().QueryFields;
        var model = QueryModel.Empty with { Filters = [filter], Take = take };
        return _replica.ReadAsync(
            connection =>
            {
                var table = CollectionTables.Find(connection, "s", "items")!;
                var query = TypedQuery.Translate(model, fields, table)!;
                using var command = connection.CreateCommand();
                command.CommandText = "EXPLAIN QUERY PLAN " + query.Select(["due"], extra: false);
                query.Parameters.BindTo(command);
                using var reader = command.ExecuteReader();
                var steps = new List<string>();
                while (reader.Read())
                {
                    steps.Add(reader.GetString(3));
                }

                return string.Join(" | ", steps);
            },
            CancellationToken.None);
    }
}
