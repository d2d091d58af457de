using System.CommandLine;
using Converge.Cli.Demo;

namespace Converge.Cli.Commands;

/// <summary><c>converge demo</c>: a self-contained show of three replicas going offline, editing, syncing and converging.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run a self-contained demo: a server, three replicas, offline edits, sync, convergence. Exit 0 only if they converge.");
        CommandRunner.SetAction(command, async (_, cancellationToken) =>
        {
            var converged = await new DemoScript().RunAsync(cancellationToken);
            return converged ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
