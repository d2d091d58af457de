using System.CommandLine;
using Microsoft.AspNetCore.Builder;

namespace Converge.Cli.Commands;

/// <summary><c>converge serve [--db FILE] [--urls URL]</c>: runs a sync server until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The server's SQLite file (created when missing); the default store, ./converge-server.db." };
        var postgres = new Option<string>("--postgres") { Description = "A PostgreSQL connection string: several server nodes may share one database." };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "Run a sync server (SQLite by default).") { db, postgres, urls };
        CommandRunner.SetAction(command, (parse, cancellationToken) =>
            RunAsync(StoreChoice.From(parse.GetValue(db), parse.GetValue(postgres), "./converge-server.db"), ListenUrls.Check(parse.GetValue(urls)!), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(StoreChoice store, string urls, CancellationToken cancellationToken)
    {
        await using var app = await ServerHosting.StartAsync(store, urls, cancellationToken);
        Console.WriteLine($"Converge server listening on {string.Join(", ", ServerHosting.Addresses(app))} ({store.Describe()})");
        Console.WriteLine($"Create a credential: converge token create {store.Option()} --stream STREAM --principal NAME");
        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken);
        Console.WriteLine("Stopped.");
        return ExitCodes.Success;
    }
}
