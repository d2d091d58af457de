using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary><c>converge put --replica FILE COLLECTION JSON [--id ID]</c>: creates a record and prints its id, nothing else.</summary>
internal static class PutCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var json = CliOptions.JsonArgument("The record's fields as a JSON object.");
        var id = new Option<string>("--id") { Description = "The record id (default: a new UUIDv7)." };
        var command = new Command("put", "Create a record; prints its id.") { replica, collection, json, id };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var fields = Output.ParseArgument(parse.GetValue(json)!, "the JSON argument");
            var record = parse.GetValue(id) is { } text ? Output.ParseId(text) : (Guid?)null;
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            if (fields.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new CliException("JSON must be an object of fields, such as {\"name\":\"Ann\"}.", ExitCodes.Usage);
            }

            var write = ReplicaSession.Check(await session.CreateAsync(parse.GetValue(collection)!, fields, record, cancellationToken: cancellationToken));
            Console.WriteLine(write.Record!.Value.ToString("D"));
            return ExitCodes.Success;
        });
        return command;
    }
}
