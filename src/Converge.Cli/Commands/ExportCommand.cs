using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary>
/// <c>converge export --replica FILE</c> or <c>converge export (--db FILE | --postgres CONNSTR) --stream S</c>: the canonical state as JSON,
/// byte-identical on converged replicas and on the server.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var replica = new Option<string>("--replica") { Description = "A local replica's file." };
        var db = new Option<string>("--db") { Description = "The server's SQLite file." };
        var postgres = new Option<string>("--postgres") { Description = "The server's PostgreSQL connection string." };
        var stream = new Option<string>("--stream") { Description = "The stream to export (with --db)." };
        var command = new Command("export", "Print the canonical state as JSON: byte-identical on converged replicas and on the server.") { replica, db, postgres, stream };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(replica) is { } path)
            {
                if (parse.GetValue(db) is not null || parse.GetValue(postgres) is not null)
                {
                    throw new CliException("export takes --replica FILE or --db FILE --stream S, not both.", ExitCodes.Usage);
                }

                await using var session = ReplicaSession.Open(path);
                Console.Out.Write(await session.ExportAsync(cancellationToken));
                Console.Out.Write('\n');
                return ExitCodes.Success;
            }

            if (parse.GetValue(db) is null && parse.GetValue(postgres) is null)
            {
                throw new CliException("export needs --replica FILE, or --db FILE (or --postgres CONNSTR) --stream S.", ExitCodes.Usage);
            }

            var choice = StoreChoice.From(parse.GetValue(db), parse.GetValue(postgres));
            var name = parse.GetValue(stream) ?? throw new CliException("export from a server needs --stream S.", ExitCodes.Usage);
            if (!Server.StreamNames.IsValid(name))
            {
                throw new CliException($"'{name}' is not a stream name: use {Server.StreamNames.Rule}.", ExitCodes.Usage);
            }

            var store = await choice.OpenAsync(create: false, ".", cancellationToken);
            try
            {
                await using var stdout = Console.OpenStandardOutput();
                await store.ExportAsync(name, stdout, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
            finally
            {
                await StoreChoice.CloseAsync(store);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
