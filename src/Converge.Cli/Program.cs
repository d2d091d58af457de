using System.CommandLine;
using Converge.Cli.Commands;

var root = new RootCommand("converge: an offline-first sync engine for .NET. Run a sync server, a demo, or use a local replica.")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
    InitCommand.Create(),
    PutCommand.Create(),
    UpdateCommand.Create(),
    DeleteCommand.Create(),
    GetCommand.Create(),
    QueryCommand.Create(),
    SchemaCommand.Create(),
    SyncCommand.Create(),
    StatusCommand.Create(),
    ConflictsCommand.Create(),
    RejectionsCommand.Create(),
    LogCommand.Create(),
    ExportCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
