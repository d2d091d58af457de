using Converge.Server.Auth;
using Converge.Server.Hosting;
using Converge.Server.Postgres;
using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Converge.Benchmarks.Hosting;

/// <summary>
/// A real Converge server in this process: Kestrel on 127.0.0.1 and a free port, over the SQLite store or the
/// PostgreSQL store. Maintenance runs only when a figure calls it, and logs are never compacted, so a figure
/// decides when snapshots exist.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app)
    {
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
    }

    public Uri BaseAddress { get; }

    public IConvergeStore Store => _app.Services.GetRequiredService<IConvergeStore>();

    public ConvergeMaintenance Maintenance => _app.Services.GetRequiredService<ConvergeMaintenance>();

    public static Task<BenchServer> StartSqliteAsync(string databasePath) => StartAsync(b => b.UseSqlite(databasePath));

    public static Task<BenchServer> StartPostgresAsync(string connectionString) => StartAsync(b => b.UsePostgres(connectionString));

    /// <summary>Creates a credential for the streams and returns its token.</summary>
    public Task<string> TokenAsync(params string[] streams) =>
        ConvergeCredentials.CreateAsync(Store, "bench", streams, TimeProvider.System).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<BenchServer> StartAsync(Action<ConvergeServerBuilder> useStore)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        useStore(builder.Services.AddConvergeServer(o =>
        {
            o.RunMaintenance = false;
            o.CompactLog = false;
        }));
        var app = builder.Build();
        app.MapConverge();
        await app.StartAsync();
        return new BenchServer(app);
    }
}
