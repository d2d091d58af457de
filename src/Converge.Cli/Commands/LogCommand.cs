using System.CommandLine;
using System.Globalization;
using Converge.Core.Protocol;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge log --replica FILE</c>: the local log: pulled actions in index order, then pending ones.</summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var json = CliOptions.Json();
        var command = new Command("log", "Show the local log: actions pulled from the server, then this replica's pending ones.") { replica, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var log = await session.GetLogAsync(0, int.MaxValue, cancellationToken);
            var pending = await session.GetPendingAsync(cancellationToken);
            if (Output.Json(parse.GetValue(json)))
            {
                Output.WriteJson(w =>
                {
                    w.WriteStartArray();
                    foreach (var entry in log)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index", entry.Index);
                        w.WriteString("clientId", entry.ClientId.ToString("D"));
                        w.WriteString("principal", entry.Principal);
                        w.WritePropertyName("action");
                        ActionBody.Write(w, entry.Action);
                        w.WriteEndObject();
                    }

                    foreach (var p in pending)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", p.ActionId.ToString("D"));
                        w.WriteString("status", p.Status.ToString().ToLowerInvariant());
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("index", "kind", "record", "hlc", "principal");
            foreach (var entry in log)
            {
                var record = entry.Action is Core.Actions.RecordAction r ? $"{r.Collection}/{r.Record}" : "";
                table.AddRow(entry.Index.ToString(CultureInfo.InvariantCulture), ActionKinds.Name(entry.Action.Kind), Markup.Escape(record), entry.Action.Hlc.ToString(), Markup.Escape(entry.Principal));
            }

            foreach (var p in pending)
            {
                table.AddRow(p.Status.ToString().ToLowerInvariant(), "", p.ActionId.ToString(), "", "(this replica)");
            }

            AnsiConsole.Write(log.Count + pending.Count == 0 ? new Text("The local log is empty.") : table);
            AnsiConsole.WriteLine();
            return ExitCodes.Success;
        });
        return command;
    }
}
