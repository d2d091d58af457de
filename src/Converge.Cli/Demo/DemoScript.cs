using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Converge.Client;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Server.Auth;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Converge.Cli.Demo;

/// <summary>
/// The demo: a real server on a free loopback port over a temporary database, three replicas (laptop, phone,
/// tablet) that edit while the server is down (a last-writer-wins conflict, a delete against an update, a
/// unique-identity merge), then sync and converge. Everything it prints is what the library reports.
/// </summary>
internal sealed class DemoScript
{
    private const string Stream = "family";
    private const string Schema = """
        {"collections":{"people":{"fields":{
            "name":{"type":"string"},
            "email":{"type":"string","unique":"identity"},
            "city":{"type":"string"},
            "tags":{"type":"string","cardinality":"many"}}}}}
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"converge-demo-{Guid.NewGuid():N}");

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var database = Path.Combine(_folder, "server.db");
        var url = $"http://127.0.0.1:{FreePort()}";
        var replicas = new List<Replica>();
        WebApplication? server = null;
        try
        {
            Rule("1. A sync server and three devices");
            server = await ServerHosting.StartAsync(database, url, cancellationToken);
            var token = await ConvergeCredentials.CreateAsync(server.Services.GetRequiredService<IConvergeStore>(), "family", [Stream], TimeProvider.System, cancellationToken);
            Say($"Server listening on [blue]{url}[/] with a temporary database; stream [blue]{Stream}[/].");
            var (laptop, phone, tablet) = (Open("laptop", url, token), Open("phone", url, token), Open("tablet", url, token));
            replicas.AddRange([laptop, phone, tablet]);

            var schema = SchemaJson.Deserialize(Encoding.UTF8.GetBytes(Schema));
            await laptop.DefineSchemaAsync(schema, cancellationToken);
            var grisha = Id(await laptop.CreateAsync("people", Json("""{"name":"Grisha","email":"grisha@example.com","city":"Kyiv"}"""), cancellationToken: cancellationToken));
            var bob = Id(await laptop.CreateAsync("people", Json("""{"name":"Bob","email":"bob@example.com","city":"Oslo"}"""), cancellationToken: cancellationToken));
            Say("The laptop declares [blue]people[/] (email is a unique identity) and adds Grisha and Bob.");
            foreach (var (name, replica) in Named(laptop, phone, tablet))
            {
                await ShowSyncAsync(name, replica, cancellationToken);
            }

            Rule("2. The server goes down; everyone keeps working");
            await server.StopAsync(cancellationToken);
            await server.DisposeAsync();
            server = null;
            await laptop.UpdateAsync("people", grisha, Json("""{"city":"Lisbon"}"""), cancellationToken);
            Say("laptop: Grisha moved to [yellow]Lisbon[/].");
            await Task.Delay(20, cancellationToken);
            await phone.UpdateAsync("people", grisha, Json("""{"city":"Porto"}"""), cancellationToken);
            Say("phone:  Grisha moved to [yellow]Porto[/] (a little later: last writer wins).");
            await phone.DeleteAsync("people", bob, cancellationToken);
            Say("phone:  deleted Bob.");
            await Task.Delay(20, cancellationToken);
            await tablet.UpdateAsync("people", bob, Json("""{"city":"Bergen"}"""), cancellationToken);
            Say("tablet: Bob moved to [yellow]Bergen[/] (it does not know he was deleted: deletes win).");
            await tablet.CreateAsync("people", Json("""{"name":"Ada","email":"ada@example.com","tags":["math"]}"""), cancellationToken: cancellationToken);
            await laptop.CreateAsync("people", Json("""{"name":"Ada Lovelace","email":"ada@example.com","tags":["poetry"]}"""), cancellationToken: cancellationToken);
            Say("tablet and laptop: each added Ada, with the same email: one person, two ids.");
            try
            {
                await phone.SyncAsync(cancellationToken: cancellationToken);
            }
            catch (TransportException e)
            {
                Say($"phone tries to sync: [grey]{Markup.Escape(e.Message)}[/] The write is kept; the loop would retry.");
            }

            Rule("3. The server is back; everyone syncs");
            server = await ServerHosting.StartAsync(database, url, cancellationToken);
            foreach (var (name, replica) in Named(laptop, phone, tablet, laptop, phone))
            {
                await ShowSyncAsync(name, replica, cancellationToken);
            }

            Rule("4. Did they converge?");
            return await VerdictAsync(server, Named(laptop, phone, tablet), cancellationToken);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            if (server is not null)
            {
                await server.StopAsync(CancellationToken.None);
                await server.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS cleans its temp folder.
            }
        }
    }

    private static async Task<bool> VerdictAsync(WebApplication server, IEnumerable<(string Name, Replica Replica)> replicas, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await server.Services.GetRequiredService<IConvergeStore>().ExportAsync(Stream, buffer, cancellationToken);
        var digests = new List<(string Name, string Digest)> { ("server", Digest(buffer.ToArray())) };
        foreach (var (name, replica) in replicas)
        {
            digests.Add((name, Digest(Encoding.UTF8.GetBytes(await replica.ExportAsync(cancellationToken)))));
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("export of", "sha-256");
        digests.ForEach(d => table.AddRow(d.Name, d.Digest));
        AnsiConsole.Write(table);
        var people = await replicas.First().Replica.QueryAsync("people", cancellationToken);
        foreach (var person in people)
        {
            Console.WriteLine($"  {person.GetRawText()}");
        }

        var converged = digests.Select(d => d.Digest).Distinct().Count() == 1;
        Say(converged
            ? "[green]Converged:[/] the server and all three devices hold byte-identical state."
            : "[red]Not converged:[/] the exports differ.");
        return converged;
    }

    private static async Task ShowSyncAsync(string name, Replica replica, CancellationToken cancellationToken)
    {
        var report = await replica.SyncAsync(cancellationToken: cancellationToken);
        var parts = new List<string> { $"{SyncReport.NameOf(report.Kind)}: pulled {report.Pulled}, pushed {report.Pushed}, cursor {report.Cursor}" };
        parts.AddRange(report.Rejected.Select(r => $"rejected {r.Code}"));
        parts.AddRange(report.Conflicts.Select(c => c.Kind == Core.Merge.ConflictKind.RecordDeleted
            ? $"conflict: its {c.Field} = {Text(c.Attempted)} hit a deleted record"
            : $"conflict: its {c.Field} = {Text(c.Attempted)} lost to {Text(c.Winning)}"));
        Say($"[bold]{name,-6}[/] sync: {Markup.Escape(string.Join("; ", parts))}");
    }

    private Replica Open(string name, string url, string token) => Replica.Open(new ReplicaOptions
    {
        Path = Path.Combine(_folder, $"{name}.db"),
        Server = new Uri(url),
        Stream = Stream,
        Token = token,
        Watch = false,
    });

    private static IEnumerable<(string, Replica)> Named(Replica laptop, Replica phone, Replica tablet, params Replica[] again)
    {
        var names = new Dictionary<Replica, string> { [laptop] = "laptop", [phone] = "phone", [tablet] = "tablet" };
        return new[] { laptop, phone, tablet }.Concat(again).Select(r => (names[r], r));
    }

    private static Guid Id(LocalWrite write) => write.Record ?? throw new CliException("the demo's write was not a record write.");

    private static JsonElement Json(string text) => CanonicalJson.Parse(text);

    private static string Text(JsonElement? value) => value is { } v ? CanonicalJson.ToText(v) : "nothing";

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Rule(string title) => AnsiConsole.Write(new Spectre.Console.Rule($"[bold]{title}[/]").LeftJustified());

    private static void Say(string markup) => AnsiConsole.MarkupLine(markup);
}
