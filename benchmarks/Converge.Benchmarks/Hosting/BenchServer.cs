using Converge.Server.Postgres;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Benchmarks.Hosting;

/// <summary>
/// The tests' real server (<see cref="ServerHost"/>: Kestrel on 127.0.0.1 and a free port) over the SQLite store or
/// the PostgreSQL store. Maintenance runs only when a figure calls it, and logs are never compacted, so a figure
/// decides when snapshots exist.
/// </summary>
internal static class BenchServer
{
    /// <summary>The principal of the credentials the figures push with.</summary>
    public const string Principal = "bench";

    public static Task<ServerHost> StartSqliteAsync(string databasePath) => ServerHost.StartAsync(NeverCompact, databasePath: databasePath);

    public static Task<ServerHost> StartPostgresAsync(string connectionString) => ServerHost.StartAsync(NeverCompact, store: b => b.UsePostgres(connectionString));

    private static void NeverCompact(Converge.Server.Hosting.ConvergeServerOptions options) => options.CompactLog = false;
}
