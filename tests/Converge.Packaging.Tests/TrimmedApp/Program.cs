using System.Text.Json;
using Converge.Client;
using TrimmedApp;

// Writes a note on one replica, syncs it through the server, and reads it typed on a second replica: the typed API
// through source-generated contracts only, as a trimmed (or AOT-compiled) app must use it.
var server = new Uri(args[0]);
var token = args[1];
var folder = args[2];

await using var writer = Replica.Open(new ReplicaOptions { Path = Path.Combine(folder, "writer.db"), Server = server, Stream = "trimmed", Token = token });
var notes = writer.Collection(AppJson.Default.Note);
var written = await notes.InsertAsync(new Note { Text = "written by a trimmed app", Stars = 3, Kind = NoteKind.Idea, Tags = ["trimmed", "typed"] });
var id = written.Record!.Value;
await writer.SyncAsync();
var confirmed = await writer.WaitForConfirmationAsync(written.ActionId);

await using var reader = Replica.Open(new ReplicaOptions { Path = Path.Combine(folder, "reader.db"), Server = server, Stream = "trimmed", Token = token });
await reader.SyncAsync();
var read = await reader.Collection<Note>(AppJson.Default).GetAsync(id);

Console.WriteLine(JsonSerializer.Serialize(new Report(id, confirmed.Status.ToString(), read), AppJson.Default.Report));
return read is null ? 1 : 0;
