using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary><c>converge update --replica FILE COLLECTION ID JSON</c>: sets fields of a record; prints the action id.</summary>
internal static class UpdateCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var id = CliOptions.Id();
        var json = CliOptions.JsonArgument("The fields to set as a JSON object (null clears one).");
        var command = new Command("update", "Change fields of a record; prints the action id.") { replica, collection, id, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var record = Output.ParseId(parse.GetValue(id)!);
            var fields = Output.ParseArgument(parse.GetValue(json)!, "the JSON argument");
            if (fields.ValueKind != System.Text.Json.JsonValueKind.Object || !fields.EnumerateObject().Any())
            {
                throw new CliException("JSON must be an object with at least one field, such as {\"name\":\"Ann\"}.", ExitCodes.Usage);
            }

            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var write = ReplicaSession.Check(await session.UpdateAsync(parse.GetValue(collection)!, record, fields, cancellationToken));
            Console.WriteLine(write.ActionId.ToString("D"));
            return ExitCodes.Success;
        });
        return command;
    }
}
