using System.CommandLine;

namespace Converge.Cli;

/// <summary>Runs a command's action: a <see cref="CliException"/> becomes one line on stderr and its exit status.</summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"converge: {e.Message}");
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("converge: cancelled.");
                return ExitCodes.Failure;
            }
        });
}
