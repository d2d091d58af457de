using System.CommandLine;

namespace Converge.Cli.Commands;

/// <summary><c>converge delete --replica FILE COLLECTION ID</c>: deletes a record; prints the action id.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var collection = CliOptions.Collection();
        var id = CliOptions.Id();
        var command = new Command("delete", "Delete a record (the tombstone is final); prints the action id.") { replica, collection, id };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var record = Output.ParseId(parse.GetValue(id)!);
            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var write = ReplicaSession.Check(await session.DeleteAsync(parse.GetValue(collection)!, record, cancellationToken));
            Console.WriteLine(write.ActionId.ToString("D"));
            return ExitCodes.Success;
        });
        return command;
    }
}
