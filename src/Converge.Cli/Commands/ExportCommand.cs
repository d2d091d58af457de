using System.CommandLine;
using Converge.Server.Sqlite;

namespace Converge.Cli.Commands;

/// <summary>
/// <c>converge export --replica FILE</c> or <c>converge export --db FILE --stream S</c>: the canonical state as JSON,
/// byte-identical on converged replicas and on the server.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var replica = new Option<string>("--replica") { Description = "A local replica's file." };
        var db = new Option<string>("--db") { Description = "The server's SQLite file." };
        var stream = new Option<string>("--stream") { Description = "The stream to export (with --db)." };
        var command = new Command("export", "Print the canonical state as JSON: byte-identical on converged replicas and on the server.") { replica, db, stream };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(replica) is { } path)
            {
                if (parse.GetValue(db) is not null)
                {
                    throw new CliException("export takes --replica FILE or --db FILE --stream S, not both.", ExitCodes.Usage);
                }

                await using var session = ReplicaSession.Open(path);
                Console.Out.Write(await session.ExportAsync(cancellationToken));
                Console.Out.Write('\n');
                return ExitCodes.Success;
            }

            var database = parse.GetValue(db) ?? throw new CliException("export needs --replica FILE, or --db FILE --stream S.", ExitCodes.Usage);
            var name = parse.GetValue(stream) ?? throw new CliException("export --db needs --stream S.", ExitCodes.Usage);
            if (!File.Exists(database))
            {
                throw new CliException($"no server database at {database}.");
            }

            using var store = new SqliteConvergeStore(database);
            await using var stdout = Console.OpenStandardOutput();
            await store.ExportAsync(name, stdout, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
