using Converge.Core.Errors;
using Converge.Server.Hosting;
using Converge.Server.Postgres;
using Converge.Server.Sqlite;
using Converge.Server.Storage;

namespace Converge.Cli;

/// <summary>Which server store a command uses: a SQLite file (<c>--db</c>) or PostgreSQL (<c>--postgres</c>).</summary>
internal sealed record StoreChoice(string? Database, string? Postgres)
{
    /// <summary>Reads the two options; exactly one must be given (or neither, when <paramref name="defaultDatabase"/> is).</summary>
    public static StoreChoice From(string? database, string? postgres, string? defaultDatabase = null)
    {
        if (database is not null && postgres is not null)
        {
            throw new CliException("use --db FILE or --postgres CONNSTR, not both.", ExitCodes.Usage);
        }

        if (postgres is not null)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException or InvalidCastException)
            {
                // Not the message: it may quote the string, password and all.
                throw new CliException("--postgres is not a PostgreSQL connection string (such as \"Host=db;Database=converge;Username=u;Password=p\").", ExitCodes.Usage);
            }
        }

        return database is null && postgres is null
            ? defaultDatabase is null ? throw new CliException("name the server's store: --db FILE or --postgres CONNSTR.", ExitCodes.Usage) : new StoreChoice(defaultDatabase, null)
            : new StoreChoice(database, postgres);
    }

    /// <summary>What to print about where the data lives (never the password).</summary>
    public string Describe() => Database is not null ? $"SQLite: {Path.GetFullPath(Database)}" : $"PostgreSQL: {new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Password = null }}";

    /// <summary>The option to repeat in hints.</summary>
    public string Option() => Database is not null ? $"--db {Database}" : "--postgres CONNSTR";

    /// <summary>Opens the store directly (for token create and export); a missing SQLite file is made only when <paramref name="create"/>.</summary>
    public async Task<IConvergeStore> OpenAsync(bool create, string missingHint, CancellationToken cancellationToken)
    {
        if (Database is not null)
        {
            DatabaseFile.RequireServer(Database, create, missingHint);
            try
            {
                return new SqliteConvergeStore(Database);
            }
            catch (StoreUnavailableException e)
            {
                throw Failed(e);
            }
        }

        try
        {
            return await PostgresConvergeStore.OpenAsync(Postgres!, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            throw Failed(e);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"cannot open the PostgreSQL store: {e.Message}");
        }
    }

    /// <summary>The store failure in <paramref name="error"/> or its cause (the host wraps what a service factory throws), if it is one.</summary>
    public static StoreUnavailableException? Unavailable(Exception error) =>
        error as StoreUnavailableException ?? error.InnerException as StoreUnavailableException;

    /// <summary>The one line for a store that could not be opened: the file or the database, what failed, and the driver's reason.</summary>
    public static CliException Failed(StoreUnavailableException error) => new(error.InnerException is Npgsql.NpgsqlException postgres
        ? $"cannot open the PostgreSQL store: {(error.Operation == "migrate" ? "its tables could not be migrated: " : "")}{postgres.Message}"
        : $"cannot open {error.Store}: {(error.InnerException ?? error).Message}");

    /// <summary>Registers the store in a server being built.</summary>
    public void Register(ConvergeServerBuilder builder)
    {
        if (Database is not null)
        {
            DatabaseFile.RequireServer(Database, create: true);
            builder.UseSqlite(Database);
        }
        else
        {
            builder.UsePostgres(Postgres!);
        }
    }

    /// <summary>Disposes a store opened by <see cref="OpenAsync"/>.</summary>
    public static async ValueTask CloseAsync(IConvergeStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
