using Converge.Client.Typed;
using Converge.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Client.Tests.Query;

/// <summary>
/// The query property of issue 14: over random records (every field type, absent fields and nulls, a set, a counter,
/// deletes, records unified by a unique identity, writes synced through a real server with unsynced writes on top) and
/// random queries (comparisons, &amp;&amp;, ||, !, null checks, set and list Contains, sort keys with ThenBy, Skip, Take,
/// Count, Any, FirstOrDefault), a replica query gives exactly what LINQ to objects gives over the records the replica
/// shows (ordinal strings, ties broken by id). A failure prints FsCheck's seed and the shrunk case.
/// </summary>
public sealed class QueryPropertyTests
{
    // Bounded by count: each case opens two replica files, syncs them once and runs the queries.
    private const int Cases = 40;
    private const int Steps = 24;
    private const int QueriesPerCase = 25;

    [Fact]
    public async Task Query_RandomRecordsAndQueries_GivesWhatLinqToObjectsGives()
    {
        await using var host = await ServerHost.StartAsync();
        using var directory = new TempDirectory();
        var run = 0;
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true);
        var property = Prop.ForAll(QueryArbitraries.Cases(Steps, QueriesPerCase), (QueryCase c) => Check(host, directory, Interlocked.Increment(ref run), c));
        // Off xunit's synchronization context: FsCheck waits for each case, whose continuations then run on the pool.
        await Task.Run(() => FsCheck.Check.One(config, property));
    }

    private static bool Check(ServerHost host, TempDirectory directory, int run, QueryCase @case) =>
        Task.Run(() => CheckAsync(host, directory, run, @case)).GetAwaiter().GetResult();

    private static async Task<bool> CheckAsync(ServerHost host, TempDirectory directory, int run, QueryCase @case)
    {
        var stream = $"q{run}";
        var token = await host.TokenAsync("alice", stream);
        await using var queried = Open(host, directory, stream, token, $"{run}-a.db");
        await using var other = Open(host, directory, stream, token, $"{run}-b.db");
        var script = @case.Script;
        for (var i = 0; i < script.Steps.Length; i++)
        {
            if (i == script.SyncAt)
            {
                await SyncAsync(queried, other);
            }

            var step = script.Steps[i];
            await WriteAsync((step.Writer == 0 ? queried : other).Collection<Sample>(), script.Ids[step.Slot], step);
        }

        if (script.SyncAt == script.Steps.Length)
        {
            await SyncAsync(queried, other);
        }

        var samples = queried.Collection<Sample>();
        var visible = await samples.QueryAsync();
        foreach (var query in @case.Queries)
        {
            var expected = query.Expected(visible);
            var actual = await query.RunAsync(samples.Query());
            actual.ShouldBe(expected, $"{query} over {visible.Count} visible records");
        }

        return true;
    }

    private static Replica Open(ServerHost host, TempDirectory directory, string stream, string token, string file) =>
        Replica.Open(new ReplicaOptions { Path = directory.File(file), Server = host.BaseAddress, Stream = stream, Token = token, Watch = false });

    private static async Task SyncAsync(Replica queried, Replica other)
    {
        await queried.SyncAsync();
        await other.SyncAsync();
        await queried.SyncAsync();
    }

    private static async Task WriteAsync(ReplicaCollection<Sample> samples, Guid id, SampleStep step)
    {
        if (step.Kind == SampleStepKind.Create)
        {
            var sample = new Sample { Id = id };
            for (var field = 0; field < SampleDomain.Fields.Length; field++)
            {
                sample = (step.Mask & (1 << field)) != 0 ? SampleDomain.With(sample, field, step.Pick / (field + 1)) : sample;
            }

            var tagged = (step.Mask & (1 << SampleDomain.Fields.Length)) != 0;
            await samples.InsertAsync(tagged ? sample with { Tags = [SampleDomain.Pick(SampleDomain.TagValues, step.Pick)] } : sample);
            return;
        }

        if (await samples.GetAsync(id) is null)
        {
            return;
        }

        var tag = SampleDomain.Pick(SampleDomain.TagValues, step.Field);
        _ = step.Kind switch
        {
            SampleStepKind.Update => await samples.UpdateAsync(id, t => SampleDomain.With(t, step.Field, step.Pick)),
            SampleStepKind.AddTag => [await samples.AddAsync(id, t => t.Tags, tag)],
            SampleStepKind.RemoveTag => [await samples.RemoveAsync(id, t => t.Tags, tag)],
            SampleStepKind.Increment => [await samples.IncrementAsync(id, t => t.Visits, 1 + (step.Pick % 3))],
            _ => (IReadOnlyList<LocalWrite>)[await samples.DeleteAsync(id)],
        };
    }
}
