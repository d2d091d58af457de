using System.Collections.Concurrent;
using Converge.Core.Protocol;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Crash;

/// <summary>
/// Guarantee 5 and scenario 10 of docs/guarantees.md: a client process killed with SIGKILL anywhere in a write-and-sync loop restarts with no
/// pending action lost, none applied twice (a counter is the detector), and a sound file every time.
/// </summary>
public sealed class ClientCrashTests
{
    [Fact]
    public Task Scenario10_ClientKilledInTheMiddleOfASync_LosesNothingAndAppliesNothingTwice() =>
        RunAsync(restarts: 8, killDuringSync: true, seed: 10);

    [Fact]
    public Task ClientKilledFiftyTimesAtRandomPoints_LosesNothingAndAppliesNothingTwice() =>
        RunAsync(restarts: 50, killDuringSync: false, seed: 50);

    private static async Task RunAsync(int restarts, bool killDuringSync, int seed)
    {
        await using var world = await SyncWorld.StartAsync();
        var token = await world.Host.TokenAsync("alice", SyncWorld.Stream);
        var path = world.Directory.File("crashing.db");
        var counter = Guid.CreateVersion7();
        var random = new Random(seed);
        var written = new ConcurrentBag<string>();
        var awaited = 0;
        for (var run = 0; run < restarts; run++)
        {
            using var worker = CrashWorker.Start(path, world.Host.BaseAddress, token, counter, written);
            (await worker.NextAsync(l => l.StartsWith("integrity", StringComparison.Ordinal))).ShouldBe("integrity ok");
            await worker.NextAsync(l => l == "ready");

            // Bounded by count, never by time: the kill comes only after this run's worker reported a number of
            // durable writes (or of sync steps, each after three writes), however slowly the machine runs it; the spin
            // then moves it to anywhere in the next write or sync.
            if (killDuringSync)
            {
                for (var syncs = random.Next(1, 4); syncs > 0; syncs--)
                {
                    await worker.NextAsync(l => l == "syncing");
                    awaited += 3;
                }
            }
            else
            {
                for (var writes = random.Next(1, 12); writes > 0; writes--)
                {
                    await worker.NextAsync(l => l.StartsWith("wrote ", StringComparison.Ordinal));
                    awaited++;
                }
            }

            Thread.SpinWait(random.Next(0, 200_000));
            await worker.KillAsync();
            IntegrityOf(path).ShouldBe("ok", $"after kill {run}");
        }

        var replica = await world.OpenAsync("crashing");
        await replica.SyncAsync();
        await replica.SyncAsync();

        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
        var log = await FullLogAsync(world);
        log.Select(a => a.Id).Distinct().Count().ShouldBe(log.Count);
        var logged = log.Select(a => a.Id!).ToHashSet();
        written.Count.ShouldBeGreaterThanOrEqualTo(awaited);
        foreach (var id in written)
        {
            logged.ShouldContain(id);
        }

        var increments = log.Count(a => a.Kind == "increment");
        var server = await world.ServerExportAsync();
        server.ShouldContain($"\"id\":\"{counter}\",\"label\":\"counter\",\"n\":{increments}}}");
        (await replica.ExportAsync()).ShouldBe(server);
    }

    private static string IntegrityOf(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static async Task<List<ActionWire>> FullLogAsync(SyncWorld world)
    {
        using var client = world.Host.Client(await world.Host.TokenAsync("auditor", SyncWorld.Stream));
        var log = new List<ActionWire>();
        while (true)
        {
            var page = await Wire.PullAsync(client, SyncWorld.Stream, log.Count, 5000);
            if (page.Actions.Count == 0)
            {
                return log;
            }

            log.AddRange(page.Actions);
        }
    }
}
