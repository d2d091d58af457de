using System.CommandLine;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge conflicts --replica FILE</c>: the conflict inbox.</summary>
internal static class ConflictsCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var json = CliOptions.Json();
        var command = new Command("conflicts", "Show the conflict inbox: writes that lost, with the values that won.") { replica, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var conflicts = await session.GetConflictsAsync(cancellationToken);
            if (Output.Json(parse.GetValue(json)))
            {
                Output.WriteJson(w =>
                {
                    w.WriteStartArray();
                    foreach (var conflict in conflicts)
                    {
                        ReportJson.Write(w, conflict);
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("kind", "record", "field", "yours", "winner");
            foreach (var c in conflicts)
            {
                table.AddRow(ReportJson.KindName(c.Kind), Markup.Escape($"{c.Collection}/{c.Record}"), Markup.Escape(c.Field ?? ""), Markup.Escape(ReportJson.Text(c.Attempted)), Markup.Escape(ReportJson.Text(c.Winning)));
            }

            AnsiConsole.Write(conflicts.Count == 0 ? new Text("No conflicts.") : table);
            AnsiConsole.WriteLine();
            return ExitCodes.Success;
        });
        return command;
    }
}
