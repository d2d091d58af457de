using System.CommandLine;
using Converge.Core.Errors;

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
            catch (Exception e) when (StoreChoice.Unavailable(e) is { } store)
            {
                // The server opens its store while it is being built, before it starts.
                await Console.Error.WriteLineAsync($"converge: {StoreChoice.Failed(store).Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"converge: cannot open the PostgreSQL store: {(e as Npgsql.NpgsqlException ?? e.InnerException)!.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or ConvergeException)
            {
                await Console.Error.WriteLineAsync($"converge: {e.Message}");
                return ExitCodes.Failure;
            }
#pragma warning disable CA1031 // Anything else is still one line for the user; CONVERGE_DEBUG=1 shows the whole exception.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var detail = Environment.GetEnvironmentVariable("CONVERGE_DEBUG") == "1" ? e.ToString() : $"{e.GetType().Name}: {e.Message} (set CONVERGE_DEBUG=1 for details)";
                await Console.Error.WriteLineAsync($"converge: unexpected error: {detail}");
                return ExitCodes.Failure;
            }
        });
}
