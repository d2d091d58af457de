using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge status --replica FILE</c>: pending count, cursor, last sync.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var json = CliOptions.Json();
        var command = new Command("status", "Show pending actions, the cursor and the last sync.") { replica, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var status = await session.GetStatusAsync(cancellationToken);
            var lastSync = status.LastSyncAt?.ToString("O", CultureInfo.InvariantCulture);
            if (Output.Json(parse.GetValue(json)))
            {
                Output.WriteJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("stream", status.Stream);
                    w.WriteString("clientId", status.ClientId.ToString("D"));
                    w.WriteString("principal", status.Principal);
                    w.WriteNumber("cursor", status.Cursor);
                    w.WriteNumber("pending", status.Pending);
                    w.WriteNumber("rejections", status.Rejections);
                    w.WriteNumber("conflicts", status.Conflicts);
                    w.WriteString("lastSyncAt", lastSync);
                    w.WriteString("lastSyncKind", status.LastSyncKind);
                    w.WriteString("lastError", status.LastError);
                    w.WriteEndObject();
                });
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("replica").AddColumn(Markup.Escape(session.Path));
            table.AddRow("stream", Markup.Escape(status.Stream));
            table.AddRow("client", status.ClientId.ToString());
            table.AddRow("principal", Markup.Escape(status.Principal ?? "(not known yet)"));
            table.AddRow("cursor", status.Cursor.ToString(CultureInfo.InvariantCulture));
            table.AddRow("pending", status.Pending.ToString(CultureInfo.InvariantCulture));
            table.AddRow("rejections", status.Rejections.ToString(CultureInfo.InvariantCulture));
            table.AddRow("conflicts", status.Conflicts.ToString(CultureInfo.InvariantCulture));
            table.AddRow("last sync", lastSync is null ? "never" : $"{lastSync} ({status.LastSyncKind})");
            if (status.LastError is { } error)
            {
                table.AddRow("last error", Markup.Escape(error));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
