using System.CommandLine;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Protocol;

namespace Converge.Cli.Commands;

/// <summary><c>converge schema --replica FILE JSON</c>: adds collections or fields (<c>{"collections": {...}}</c>); prints the action id.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var replica = CliOptions.Replica();
        var json = CliOptions.JsonArgument("The collections to add: {\"collections\": {...}} as in the protocol.");
        var command = new Command("schema", "Add collections or fields to the stream's schema; prints the action id.") { replica, json };
        CommandRunner.SetAction(command, async (parse, cancellationToken) =>
        {
            var element = Output.ParseArgument(parse.GetValue(json)!, "the schema");
            SchemaWire? wire;
            try
            {
                wire = element.Deserialize(ConvergeJsonContext.Default.SchemaWire);
            }
            catch (JsonException e)
            {
                // The serializer's own message names its internal types; the path is what the user can act on.
                throw new CliException($"the schema does not have the protocol's shape: {e.Path ?? "$"} has the wrong type; expected {{\"collections\": {{\"NAME\": {{\"fields\": {{\"FIELD\": {{\"type\": \"string\"}}}}}}}}}}.", ExitCodes.Usage);
            }

            var decoded = wire is null ? Decoded<Core.Schema.StreamSchema>.Fail(RejectionCodes.InvalidSchema, "A schema must be a JSON object.") : SchemaCodec.Decode(wire);
            if (!decoded.IsOk)
            {
                throw new CliException($"{decoded.Error.Code}: {decoded.Error.Message}", ExitCodes.Usage);
            }

            await using var session = ReplicaSession.Open(parse.GetValue(replica)!);
            var write = ReplicaSession.Check(await session.DefineSchemaAsync(decoded.Value, cancellationToken));
            Console.WriteLine(write.ActionId.ToString("D"));
            return ExitCodes.Success;
        });
        return command;
    }
}
