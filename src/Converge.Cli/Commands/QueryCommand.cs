using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary><c>converge query --replica FILE COLLECTION</c>: prints a JSON array of the collection's records.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var command = new Command("query", "Print every record of a collection as a JSON array.") { replica, collection };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var name = parse.GetValue(collection)!;
            if ((await session.GetSchemaAsync(cancellationToken)).FindCollection(name) is null)
            {
                throw new CliException($"the stream's schema has no collection '{name}'.");
            }

            var records = await session.QueryAsync(name, cancellationToken);
            Console.WriteLine($"[{string.Join(',', records.Select(r => r.GetRawText()))}]");
            return ExitCodes.Success;
        });
        return command;
    }
}
