using System.CommandLine;
using Converge.Client;
using Converge.Core.Errors;
using Converge.Server;

namespace Converge.Cli.Commands;

/// <summary><c>converge init --replica FILE --server URL --stream S --token T</c>: creates a local replica (no network needed).</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var server = new Option<string>("--server") { Description = "The sync server's address, such as http://127.0.0.1:5080.", Required = true };
        var stream = new Option<string>("--stream") { Description = "The stream to replicate.", Required = true };
        var token = new Option<string>("--token") { Description = "A credential from converge token create.", Required = true };
        var command = new Command("init", "Create a local replica of a stream.") { replica, server, stream, token };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(replica)!;
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                throw new CliException($"'{parse.GetValue(server)}' is not a server address: expected http://host:port.", ExitCodes.Usage);
            }

            var name = parse.GetValue(stream)!;
            if (!StreamNames.IsValid(name))
            {
                throw new CliException($"'{name}' is not a stream name: use {StreamNames.Rule}.", ExitCodes.Usage);
            }

            DatabaseFile.RequireReplica(path, orNew: true);
            Replica opened;
            try
            {
                opened = Replica.Open(new ReplicaOptions { Path = path, Server = address, Stream = name, Token = parse.GetValue(token) });
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            catch (Exception e) when (e is CorruptReplicaException or ReplicaUnavailableException)
            {
                throw new CliException(e.Message);
            }

            await using (opened)
            {
                Console.WriteLine($"Initialized {Path.GetFullPath(path)}: stream '{name}' at {address} (client {opened.ClientId}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
