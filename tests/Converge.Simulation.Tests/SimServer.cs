using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Server.Auth;
using Converge.Server.Diagnostics;
using Converge.Server.Hosting;
using Converge.Server.Pull;
using Converge.Server.Push;
using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Converge.Simulation.Tests;

/// <summary>
/// The real server logic (push and pull processors, the merge engine, maintenance) over the real SQLite store, without
/// HTTP: the simulator calls it as the endpoints would. A crash drops everything in memory and reopens the file.
/// </summary>
internal sealed class SimServer : IDisposable
{
    private readonly string _path;
    private readonly ConvergeServerOptions _options;
    private readonly ConvergeMetrics _metrics = new();
    private SqliteConvergeStore _store;
    private ConvergeServer _server;

    public SimServer(string path, NodeTime time, ConvergeServerOptions options)
    {
        _path = path;
        Time = time;
        _options = options;
        (_store, _server) = Start();
    }

    public NodeTime Time { get; }

    public IConvergeStore Store => _store;

    public int Crashes { get; private set; }

    /// <summary>True to plant a server bug: pushes are answered as accepted, and never committed.</summary>
    public bool AcceptWithoutPersisting { get; set; }

    public async Task<PushResponse> PushAsync(string stream, string principal, PushRequest request)
    {
        var actions = new List<ActionEnvelope>();
        foreach (var (wire, i) in request.Actions!.Select((w, i) => (w, i)))
        {
            var decoded = ActionEnvelope.Decode(wire);
            if (!decoded.IsOk)
            {
                throw new ServerRefusedException($"400 {decoded.Error.Code}: {decoded.Error.Message}", 400) { Code = decoded.Error.Code, ActionIndex = i };
            }

            actions.Add(decoded.Value);
        }

        var clientId = Guid.Parse(request.ClientId!);
        if (!await _server.Registry.ClaimAsync(stream, clientId, principal, Time.GetUtcNow()))
        {
            throw new ServerRefusedException("403 client_id_taken", 403) { Code = ProblemCodes.ClientIdTaken };
        }

        _server.Registry.Record(new ClientVisit(stream, clientId, principal, null, Time.GetUtcNow()));
        var (results, head, _) = await PushProcessor.RunAsync(_server, new PushBatch(stream, clientId, principal, actions), CancellationToken.None);
        return new PushResponse { Results = results, Head = head, Principal = principal, ServerTime = Time.GetUtcNow() };
    }

    public async Task<PullAnswer> PullAsync(string stream, string principal, Guid clientId, long after, int limit) =>
        await PullProcessor.RunAsync(_server, new PullQuery(stream, after, limit, clientId, principal), CancellationToken.None);

    public Task MaintainAsync(bool forceSnapshot) => new ConvergeMaintenance(_server).RunOnceAsync(forceSnapshot);

    /// <summary>The process dies: the client registry's buffer and every cache are lost; the file stays.</summary>
    public void Crash()
    {
        Crashes++;
        _store.Dispose();
        (_store, _server) = Start();
    }

    public void Dispose()
    {
        _store.Dispose();
        _metrics.Dispose();
    }

    private (SqliteConvergeStore, ConvergeServer) Start()
    {
        var store = new SqliteConvergeStore(_path);
        var planted = new NonPersistingStore(store, () => AcceptWithoutPersisting);
        var parts = new ServerParts(new StreamHeads(), new ClientRegistry(store), _metrics, NullLogger<ConvergeServer>.Instance);
        var server = new ConvergeServer(planted, Options.Create(_options), Time, new BearerTokenAuthenticator(store, Time), parts);
        return (store, server);
    }
}
