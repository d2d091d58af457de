using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Converge.Benchmarks.Hosting;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's own binaries (<c>initdb</c>, <c>pg_ctl</c> under
/// /usr/lib/postgresql/*/bin) in a temp folder, on 127.0.0.1 and a free port; stopped and deleted on dispose.
/// Run as the <c>postgres</c> user when this process is root. The same approach as the tests' cluster, copied so the
/// benchmarks do not depend on the test project.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private PostgresCluster(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The binaries' folder, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin.");
        var directory = Path.Combine(Path.GetTempPath(), $"converge-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false, ignoreFailure: !IsRoot);
        var port = FreePort();
        var data = Path.Combine(directory, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"], asPostgres: true);
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "log"), "-w", "-t", "60", "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"], asPostgres: true);
        return new PostgresCluster(bin, directory, port);
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(Connection("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return Connection(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true, ignoreFailure: true);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private string Connection(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 100, Timeout = 30, CommandTimeout = 60 }.ToString();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres, bool ignoreFailure = false)
    {
        var info = asPostgres && IsRoot ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. arguments]) : new ProcessStartInfo(program, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 && !ignoreFailure)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
