using System.CommandLine;
using Converge.Client;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Spectre.Console;

namespace Converge.Cli.Commands;

/// <summary><c>converge sync --replica FILE [--watch]</c>: syncs with a progress display and prints the report.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var watch = new Option<bool>("--watch") { Description = "Keep syncing (woken by the server) until Ctrl+C, printing each report." };
        var json = CliOptions.Json();
        var command = new Command("sync", "Sync with the server and print the report.") { replica, watch, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var asJson = Output.Json(parse.GetValue(json));
            if (parse.GetValue(watch))
            {
                return await WatchAsync(session, asJson, cancellationToken);
            }

            SyncReport report;
            try
            {
                report = asJson
                    ? await session.SyncAsync(cancellationToken: cancellationToken)
                    : await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
                    {
                        var task = context.AddTask("sync").IsIndeterminate();
                        return await session.SyncAsync(new Progress<SyncProgress>(p => Show(task, p)), cancellationToken);
                    });
            }
            catch (TransportException e)
            {
                throw new CliException($"sync failed: {e.Message}");
            }

            Print(report, asJson);
            return ExitCodes.Success;
        });
        return command;
    }

    public static void Print(SyncReport report, bool asJson)
    {
        if (asJson)
        {
            Output.WriteJson(writer => ReportJson.Write(writer, report));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("sync").AddColumn(ReportJson.KindName(report.Kind));
        table.AddRow("pulled", report.Pulled.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("pushed", report.Pushed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("accepted", report.Accepted.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("rejected", report.Rejected.Length == 0 ? "0" : string.Join("\n", report.Rejected.Select(r => Markup.Escape($"{r.ActionId}: {r.Code}: {r.Message}"))));
        table.AddRow("conflicts", report.Conflicts.Length == 0 ? "0" : string.Join("\n", report.Conflicts.Select(c => Markup.Escape($"{c.Collection}/{c.Record}.{c.Field}: {ReportJson.Text(c.Attempted)} lost to {ReportJson.Text(c.Winning)}"))));
        if (report.SnapshotIndex is { } snapshot)
        {
            table.AddRow("snapshot", $"loaded at index {snapshot}");
        }

        table.AddRow("cursor", report.Cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("took", $"{report.Duration.TotalMilliseconds:0} ms");
        AnsiConsole.Write(table);
    }

    private static void Show(ProgressTask task, SyncProgress progress)
    {
        task.Description = progress.Phase.ToString().ToLowerInvariant();
        if (progress.Total is { } total)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, total);
            task.Value = progress.Done;
        }
    }

    private static async Task<int> WatchAsync(Replica session, bool asJson, CancellationToken cancellationToken)
    {
        // One line when the server is lost and one when it is back, not one per retry; a refusal retrying cannot fix ends the watch.
        var offline = 0;
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Synced += (_, report) => Print(report, asJson);
        session.SyncFailed += (_, error) =>
        {
            if (error is TransportException { IsPermanent: true })
            {
                refused.TrySetResult(error.Message);
            }
            else if (error is not TransportException)
            {
                Console.Error.WriteLine($"converge: sync failed, retrying: {error.Message}");
            }
            else if (Interlocked.Exchange(ref offline, 1) == 0)
            {
                Console.Error.WriteLine($"converge: offline: {error.Message.TrimEnd('.')}; retrying.");
            }
        };

        // Every step that reached the server ends with Done (Synced is only for steps that moved something).
        session.StartSync(new StepDone(() =>
        {
            if (Interlocked.Exchange(ref offline, 0) == 1)
            {
                Console.Error.WriteLine("converge: back online.");
            }
        }));
        try
        {
            var reason = await refused.Task.WaitAsync(cancellationToken);
            await session.StopSyncAsync();
            throw new CliException($"sync failed: {reason}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }

        await session.StopSyncAsync();
        return ExitCodes.Success;
    }

    /// <summary>Calls back, on the loop's thread, when a sync step has finished well.</summary>
    private sealed class StepDone(Action done) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            if (value.Phase == SyncPhase.Done)
            {
                done();
            }
        }
    }
}
