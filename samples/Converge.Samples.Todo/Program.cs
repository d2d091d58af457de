using Converge.Client;
using Converge.Client.Typed;

// A to-do list that works on a plane: every call below succeeds with no network.
// Set CONVERGE_SERVER and CONVERGE_TOKEN (from `converge token create`) to sync.
var server = Environment.GetEnvironmentVariable("CONVERGE_SERVER");
await using var replica = Replica.Open(new ReplicaOptions
{
    Path = args.Length > 0 ? args[0] : "todo.db",
    Stream = "todo",
    Server = server is null ? null : new Uri(server),
    Token = Environment.GetEnvironmentVariable("CONVERGE_TOKEN"),
});

var todos = replica.Collection<TodoItem>();
var write = await todos.InsertAsync(new TodoItem { Title = "Buy milk", Due = TimeProvider.System.GetLocalNow().AddDays(1) });
var milk = write.Record!.Value;
await todos.AddAsync(milk, t => t.Tags, "errands");
await todos.InsertAsync(new TodoItem { Title = "Call grandma" });

// An update names what it changes; edits other devices made meanwhile are never written back.
await todos.UpdateAsync(milk, todo => todo with { Done = true });

foreach (var todo in await todos.Query().Where(t => !t.Done).ToListAsync())
{
    Console.WriteLine($"[ ] {todo.Title}");
}

if (server is not null)
{
    var report = await replica.SyncAsync();
    Console.WriteLine($"sync: {SyncReportName(report)}; pushed {report.Pushed}, pulled {report.Pulled}, rejected {report.Rejected.Length}");
    var state = await replica.WaitForConfirmationAsync(write.ActionId);
    Console.WriteLine($"'Buy milk' is {state.Status} at index {state.Index}");
}

static string SyncReportName(Converge.Client.Sync.SyncReport report) => Converge.Client.Sync.SyncReport.NameOf(report.Kind);

/// <summary>One to-do item; the schema of the "todos" collection comes from this type.</summary>
[ConvergeCollection("todos")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1050", Justification = "A one-file sample.")]
public sealed record TodoItem
{
    public Guid Id { get; init; }

    public string Title { get; init; } = "";

    public bool Done { get; init; }

    public DateTimeOffset? Due { get; init; }

    public HashSet<string> Tags { get; init; } = [];

    [Counter]
    public long Snoozed { get; init; }
}
