using System.CommandLine;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge query --replica FILE COLLECTION</c>: prints a JSON array of the collection's records.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var json = CliOptions.Json();
        var command = new Command("query", "Print every record of a collection: a table at a terminal, a JSON array otherwise.") { replica, collection, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var name = parse.GetValue(collection)!;
            if ((await session.GetSchemaAsync(cancellationToken)).FindCollection(name) is null)
            {
                throw new CliException($"the stream's schema has no collection '{name}'.");
            }

            var records = await session.QueryAsync(name, cancellationToken);
            if (Output.Json(parse.GetValue(json)))
            {
                Console.WriteLine($"[{string.Join(',', records.Select(r => r.GetRawText()))}]");
                return ExitCodes.Success;
            }

            var columns = records.SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
            var table = new Table().Border(TableBorder.Rounded).AddColumns([.. columns.Select(c => Markup.Escape(c))]);
            foreach (var record in records)
            {
                table.AddRow([.. columns.Select(c => Markup.Escape(record.TryGetProperty(c, out var v) ? (v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()! : v.GetRawText()) : ""))]);
            }

            AnsiConsole.Write(records.Count == 0 ? new Text($"No records in '{name}'.") : table);
            AnsiConsole.WriteLine();
            return ExitCodes.Success;
        });
        return command;
    }
}
