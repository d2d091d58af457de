using System.CommandLine;
using System.Globalization;
using Converge.Core.Export;
using Converge.Core.Protocol;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge rejections --replica FILE [--clear]</c>: this replica's rejected actions, or clears them.</summary>
internal static class RejectionsCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var json = CliOptions.Json();
        var clear = new Option<bool>("--clear") { Description = "Take the rejections out of the list (they were seen); prints how many." };
        var command = new Command("rejections", "Show this replica's rejected actions and why, or clear them.") { replica, json, clear };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            if (parse.GetValue(clear))
            {
                var cleared = await session.ClearRejectionsAsync(cancellationToken);
                if (Output.Json(parse.GetValue(json)))
                {
                    Output.WriteJson(w =>
                    {
                        w.WriteStartObject();
                        w.WriteNumber("cleared", cleared);
                        w.WriteEndObject();
                    });
                }
                else
                {
                    Console.WriteLine(cleared == 1 ? "Cleared 1 rejection." : $"Cleared {cleared} rejections.");
                }

                return ExitCodes.Success;
            }

            var rejections = await session.GetRejectionsAsync(cancellationToken);
            if (Output.Json(parse.GetValue(json)))
            {
                Output.WriteJson(w =>
                {
                    w.WriteStartArray();
                    foreach (var r in rejections)
                    {
                        w.WriteStartObject();
                        w.WriteString("code", r.Code);
                        w.WriteString("message", r.Message);
                        w.WriteString("rejectedAt", r.RejectedAt.ToString("O", CultureInfo.InvariantCulture));
                        w.WritePropertyName("action");
                        ActionBody.Write(w, r.Action);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("action", "kind", "code", "why");
            foreach (var r in rejections)
            {
                table.AddRow(r.Action.Id.ToString(), ActionKinds.Name(r.Action.Kind), Markup.Escape(r.Code), Markup.Escape(r.Message));
            }

            AnsiConsole.Write(rejections.Count == 0 ? new Text("No rejections.") : table);
            AnsiConsole.WriteLine();
            return ExitCodes.Success;
        });
        return command;
    }
}
