using System.CommandLine;
using Converge.Server.Sqlite;

namespace Converge.Cli.Commands;

/// <summary><c>converge export --db FILE --stream S</c>: the server's canonical state of a stream as JSON.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The server's SQLite file." };
        var stream = new Option<string>("--stream") { Description = "The stream to export (with --db)." };
        var command = new Command("export", "Print the canonical state as JSON: byte-identical on converged replicas and on the server.") { db, stream };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(db) ?? throw new CliException("export needs --db FILE --stream S.", ExitCodes.Usage);
            var name = parse.GetValue(stream) ?? throw new CliException("export --db needs --stream S.", ExitCodes.Usage);
            if (!File.Exists(path))
            {
                throw new CliException($"no server database at {path}.");
            }

            using var store = new SqliteConvergeStore(path);
            await using var stdout = Console.OpenStandardOutput();
            await store.ExportAsync(name, stdout, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
