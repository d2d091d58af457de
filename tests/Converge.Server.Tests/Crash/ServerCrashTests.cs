using System.Collections.Concurrent;
using Converge.Core.Clock;
using Converge.Server.Auth;
using Converge.Server.Sqlite;
using Converge.Testing;

namespace Converge.Server.Tests.Crash;

/// <summary>Guarantee 6 of docs/guarantees.md: an action the server acknowledged survives the server being killed.</summary>
public sealed class ServerCrashTests
{
    [Fact]
    public async Task ServerKilledDuringPushes_RestartsWithEveryAcknowledgedActionAndNoGap()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        string token;
        using (var store = new SqliteConvergeStore(database))
        {
            token = await ConvergeCredentials.CreateAsync(store, "alice", ["crash"], TimeProvider.System);
        }

        var acknowledged = new ConcurrentDictionary<string, long>();
        var writer = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId(3)));
        var port = FreePort.Next();
        var server = await ServerProcess.StartAsync(database, port);
        using (var client = new HttpClient { BaseAddress = server.BaseAddress })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await Wire.PushAsync(client, "crash", Guid.CreateVersion7(), writer.Schema("""{"item":{"fields":{"n":{"type":"long"}}}}"""));
        }

        for (var round = 0; round < 3; round++)
        {
            // Bounded by count, never by time: the kill comes once this round's pushers got a number of actions
            // acknowledged, however slowly the machine runs them; they are still pushing when it comes.
            var target = acknowledged.Count + 20 + (round * 10);
            using var stop = new CancellationTokenSource();
            var pushers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
            {
                using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Eventually.Timeout };
                client.DefaultRequestHeaders.Authorization = new("Bearer", token);
                var clientId = Guid.CreateVersion7();
                while (!stop.IsCancellationRequested)
                {
                    var batch = Enumerable.Range(0, 5).Select(i => (Core.Actions.ConvergeAction)writer.Create("item", $$"""{"n":{{i}}}""")).ToArray();
                    try
                    {
                        var response = await Wire.PushAsync(client, "crash", clientId, batch);
                        foreach (var result in response.Results)
                        {
                            result.Status.ShouldBe("accepted");
                            acknowledged[result.Id] = result.Index!.Value;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException { StatusCode: null } or TaskCanceledException or IOException)
                    {
                        // The kill cut the connection. An answer with an error status is no such thing: it fails the test.
                        return;
                    }
                }
            })).ToList();

            await Eventually.UntilAsync(() => acknowledged.Count >= target || pushers.All(p => p.IsCompleted) || pushers.Any(p => p.IsFaulted), $"{target} acknowledged actions in round {round}");
            server.Kill();
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(pushers);
            }
            catch
            {
                server.Dispose();
                throw;
            }

            acknowledged.Count.ShouldBeGreaterThanOrEqualTo(target, "every pusher stopped before the kill");
            server.Dispose();
            server = await ServerProcess.StartAsync(database, port);
        }

        using (server)
        using (var client = new HttpClient { BaseAddress = server.BaseAddress })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var log = new List<Core.Protocol.ActionWire>();
            long after = 0;
            while (true)
            {
                var page = await Wire.PullAsync(client, "crash", after, 5000);
                log.AddRange(page.Actions);
                if (page.Actions.Count == 0)
                {
                    break;
                }

                after = page.Actions[^1].Index!.Value;
            }

            acknowledged.Count.ShouldBeGreaterThan(20);
            log.Select(a => a.Index!.Value).ShouldBe(Enumerable.Range(1, log.Count).Select(i => (long)i));
            var byId = log.ToDictionary(a => a.Id!, a => a.Index!.Value);
            foreach (var (id, index) in acknowledged)
            {
                byId.ShouldContainKey(id);
                byId[id].ShouldBe(index);
            }
        }
    }
}
