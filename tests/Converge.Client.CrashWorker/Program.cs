using System.Text.Json;
using Converge.Client;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Export;

// Usage: worker REPLICA SERVER STREAM TOKEN COUNTER_ID
// Writes increments and creates until it is killed, syncing every few writes; prints "wrote <actionId>" after each
// committed write and "syncing" before each sync step, so a test can kill it after a number of writes (never after a
// time) and anywhere in between, and check what survived. It ends by itself when its standard input closes: a test
// that dies without killing it leaves no writer behind.
var (path, server, stream, token, counter) = (args[0], args[1], args[2], args[3], Guid.Parse(args[4]));
_ = Task.Run(async () =>
{
    await Console.In.ReadToEndAsync();
    Environment.Exit(3);
});

await using var replica = Replica.Open(new ReplicaOptions { Path = path, Server = new Uri(server), Stream = stream, Token = token, Watch = false });
Console.WriteLine($"integrity {await replica.CheckIntegrityAsync()}");
if ((await replica.GetSchemaAsync()).FindCollection("item") is null)
{
    await replica.DefineSchemaAsync(SchemaJson.Deserialize("""{"collections":{"item":{"fields":{"n":{"type":"long","counter":true},"label":{"type":"string"}}}}}"""u8));
    await replica.CreateAsync("item", CanonicalJson.Parse("""{"n":0,"label":"counter"}"""), counter);
}

Console.WriteLine("ready");
for (var i = 0; ; i++)
{
    var write = i % 2 == 0
        ? await replica.IncrementAsync("item", counter, "n", 1)
        : await replica.CreateAsync("item", CanonicalJson.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["label"] = $"item {i}" })));
    Console.WriteLine($"wrote {write.ActionId}");
    if (i % 3 == 2)
    {
        Console.WriteLine("syncing");
        try
        {
            await replica.SyncStepAsync();
        }
        catch (TransportException e)
        {
            Console.WriteLine($"offline {e.Message}");
        }
    }
}
