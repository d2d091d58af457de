using System.CommandLine;
using Converge.Server.Hosting;
using Converge.Server.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Cli.Commands;

/// <summary><c>converge serve [--db FILE] [--urls URL]</c>: runs a sync server until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The server's SQLite file (created when missing).", DefaultValueFactory = _ => "./converge-server.db" };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "Run a sync server (SQLite by default).") { db, urls };
        CommandRunner.SetAction(command, (parse, cancellationToken) => RunAsync(parse.GetValue(db)!, parse.GetValue(urls)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string db, string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var section = builder.Configuration.GetSection("Converge");
        builder.Services.AddConvergeServer(section.Bind).UseSqlite(db);
        await using var app = builder.Build();
        app.MapConverge();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot listen on {urls}: {e.Message}");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [urls];
        Console.WriteLine($"Converge server listening on {string.Join(", ", addresses)} (SQLite: {Path.GetFullPath(db)})");
        Console.WriteLine($"Create a credential: converge token create --db {db} --stream STREAM --principal NAME");
        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken);
        Console.WriteLine("Stopped.");
        return ExitCodes.Success;
    }
}
