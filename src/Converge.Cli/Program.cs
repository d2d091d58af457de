using System.CommandLine;
using Converge.Cli;
using Converge.Cli.Commands;

if (Console.IsOutputRedirected)
{
    // Scripts and logs get plain text: no colours, no wrapping at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Capabilities.Ansi = false;
    Spectre.Console.AnsiConsole.Profile.Width = 120;
}

var root = new RootCommand("converge: an offline-first sync engine for .NET. Run a sync server, a demo, or use a local replica.")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
    DemoCommand.Create(),
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

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A mistake on the command line is one clear line, not a page of help.
    var path = new List<string>();
    for (var result = parsed.CommandResult; result is not null && result.Command != root; result = result.Parent as System.CommandLine.Parsing.CommandResult)
    {
        path.Insert(0, result.Command.Name);
    }

    var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    await Console.Error.WriteLineAsync($"converge: {error.Message} (see converge {string.Join(' ', [.. path, "--help"])})");
    return 2;
}

var invocation = new InvocationConfiguration();
if (parsed.CommandResult.Command.Name == "serve")
{
    // The server stops itself on Ctrl+C or SIGTERM, within its host's shutdown timeout: System.CommandLine's own 2 s
    // would end the process in the middle of that and exit 130 or 143.
    invocation.ProcessTerminationTimeout = ServerHosting.ShutdownTimeout + TimeSpan.FromSeconds(5);
}

return await parsed.InvokeAsync(invocation);
