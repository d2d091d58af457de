using System.CommandLine;
using Converge.Client.Query;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary>
/// <c>converge query --replica FILE COLLECTION [--where EXPR] [--order FIELD[:desc]] [--skip N] [--limit N]</c>: prints the
/// collection's records that pass the filter, sorted and paged (run in SQLite by <see cref="Client.Replica.QueryAsync(string, ReplicaQueryOptions, CancellationToken)"/>).
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var json = CliOptions.Json();
        var where = new Option<string[]>("--where") { Description = "Conditions joined by 'and': FIELD OP VALUE, OP one of = != < <= > >= has (set membership), e.g. \"done=false and due<2026-12-01T00:00:00Z\". Repeatable." };
        var order = new Option<string[]>("--order") { Description = "Sort keys, FIELD or FIELD:desc, in order (comma-separated or repeated); ties by id." };
        var skip = new Option<int>("--skip") { Description = "Records skipped after sorting." };
        var limit = new Option<int?>("--limit") { Description = "Records printed at most." };
        var command = new Command("query", "Print a collection's records, filtered, sorted and paged: a table at a terminal, a JSON array otherwise.") { replica, collection, json, where, order, skip, limit };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var (skipped, limited) = (parse.GetValue(skip), parse.GetValue(limit));
            if (skipped < 0 || limited < 0)
            {
                throw new CliException($"--{(skipped < 0 ? "skip" : "limit")} must be 0 or more.", ExitCodes.Usage);
            }

            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var name = parse.GetValue(collection)!;
            var schema = (await session.GetSchemaAsync(cancellationToken)).FindCollection(name)
                ?? throw new CliException($"the stream's schema has no collection '{name}'.");
            var options = new ReplicaQueryOptions
            {
                Where = QueryArguments.Where(parse.GetValue(where) ?? [], name, schema),
                OrderBy = QueryArguments.Order(parse.GetValue(order) ?? [], name, schema),
                Skip = skipped,
                Limit = limited,
            };
            var plain = options.Where.Count == 0 && options.OrderBy.Count == 0 && skipped == 0 && limited is null;
            // Without options: every record as before (by id); with them, the query runs in SQLite over the collection's table.
            IReadOnlyList<System.Text.Json.JsonElement> records;
            try
            {
                records = plain ? await session.QueryAsync(name, cancellationToken) : await session.QueryAsync(name, options, cancellationToken);
            }
            catch (ArgumentException e)
            {
                // What the parser lets through but the query refuses (a value its column cannot hold) is still the user's input.
                throw new CliException(e.Message, ExitCodes.Usage);
            }

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
