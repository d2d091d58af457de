using System.CommandLine;
using Converge.Server;
using Converge.Server.Auth;

namespace Converge.Cli.Commands;

/// <summary><c>converge token create --db FILE [--create] --stream S --principal P</c>: prints a new credential and nothing else.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The server's SQLite file." };
        var postgres = new Option<string>("--postgres") { Description = "The server's PostgreSQL connection string." };
        var stream = new Option<string>("--stream") { Description = "The stream the credential may use.", Required = true };
        var principal = new Option<string>("--principal") { Description = "Who the credential authenticates as.", Required = true };
        var createFile = new Option<bool>("--create") { Description = "Make a new server database when the --db file does not exist (otherwise that is an error)." };
        var create = new Command("create", "Create a credential for one stream and print it.") { db, postgres, stream, principal, createFile };
        CommandRunner.SetAction(create, async (parse, cancellationToken) =>
        {
            var streamName = parse.GetValue(stream)!;
            if (!StreamNames.IsValid(streamName))
            {
                throw new CliException($"'{streamName}' is not a stream name: use {StreamNames.Rule}.", ExitCodes.Usage);
            }

            var name = parse.GetValue(principal)!;
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliException("--principal must not be empty.", ExitCodes.Usage);
            }

            var choice = StoreChoice.From(parse.GetValue(db), parse.GetValue(postgres));
            var store = await choice.OpenAsync(parse.GetValue(createFile), ": name the server's file, or pass --create to make a new one.", cancellationToken);
            try
            {
                Console.WriteLine(await ConvergeCredentials.CreateAsync(store, name, [streamName], TimeProvider.System, cancellationToken));
            }
            finally
            {
                await StoreChoice.CloseAsync(store);
            }

            return ExitCodes.Success;
        });
        return new Command("token", "Manage credentials.") { create };
    }
}
