using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary><c>converge get --replica FILE COLLECTION ID</c>: prints one JSON object <c>{"id": ..., field: value}</c>.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var id = CliOptions.Id();
        var command = new Command("get", "Print a record as one JSON object.") { replica, collection, id };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var record = Output.ParseId(parse.GetValue(id)!);
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var name = parse.GetValue(collection)!;
            if ((await session.GetSchemaAsync(cancellationToken)).FindCollection(name) is null)
            {
                throw new CliException($"the stream's schema has no collection '{name}'.");
            }

            var found = await session.GetAsync(name, record, cancellationToken)
                ?? throw new CliException($"no record {record:D} in '{name}'.");
            Console.WriteLine(found.GetRawText());
            return ExitCodes.Success;
        });
        return command;
    }
}
