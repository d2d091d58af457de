using System.Text;
using Converge.Client.Lifecycle;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;
using Converge.Server.Storage;

namespace Converge.Simulation.Tests;

/// <summary>Heal, quiesce, and the invariants every world must hold at the end.</summary>
internal sealed partial class SimWorld
{
    private async Task HealAndQuiesceAsync()
    {
        Trace.AppendLine("heal");
        _restore.Clear();
        Network.HealAll();
        while (_waiting.Count > 0)
        {
            await JoinAsync(_waiting[0]);
            _waiting.RemoveAt(0);
        }

        foreach (var client in _clients)
        {
            client.Time.Offset = TimeSpan.FromMilliseconds(Random.Next(-50, 50));
        }

        await Network.DeliverAllDelayedAsync();
        for (var round = 0; round < 40; round++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var moved = false;
            foreach (var client in _clients)
            {
                var report = await StepAsync(client);
                moved |= report is null || report.MadeProgress;
            }

            if (!moved)
            {
                return;
            }
        }

        Violation("the replicas did not quiesce within 40 rounds of sync after healing");
    }

    private async Task CheckAsync()
    {
        var server = await ExportAsync();
        var page = await Server.Store.ReadAsync(Stream, 0, int.MaxValue);
        var log = page.Actions;
        if (log.Select((a, i) => a.Index != page.Horizon + 1 + i).Any(gap => gap) || (log.Count > 0 && log[^1].Index != page.Head) || (log.Count == 0 && page.Head != page.Horizon))
        {
            Violation($"the log is not gapless: horizon {page.Horizon}, head {page.Head}, {log.Count} entries");
        }

        var accepted = await AcceptedAsync([.. Oracle.Writes.Select(w => w.Write.ActionId), .. Oracle.Acknowledged.Keys.Select(Guid.Parse)]);
        foreach (var (id, index) in Oracle.Acknowledged)
        {
            if (accepted.GetValueOrDefault(Guid.Parse(id)) != index)
            {
                Violation($"acknowledged action {id} (index {index}) is not in the server's accepted actions");
            }
        }

        foreach (var client in _clients)
        {
            var replica = client.Replica!;
            var status = await replica.GetStatusAsync();
            if (status.Pending != 0)
            {
                Violation($"{client.Name} still has {status.Pending} pending actions after quiescing");
            }

            var export = await replica.ExportAsync();
            if (export != server)
            {
                Violation($"{client.Name}'s export differs from the server's:\n  client {Shorten(export)}\n  server {Shorten(server)}");
            }

            var rejections = (await replica.GetRejectionsAsync()).Select(r => r.Action.Id).ToHashSet();
            foreach (var (_, write, _) in Oracle.Writes.Where(w => w.Client == client))
            {
                var state = await replica.GetActionStateAsync(write.ActionId);
                var inLog = accepted.ContainsKey(write.ActionId);
                var fine = state.Status switch
                {
                    ActionStatus.Confirmed => inLog && accepted[write.ActionId] == state.Index,
                    ActionStatus.Rejected => !inLog && rejections.Contains(write.ActionId),
                    _ => false,
                };
                if (!fine)
                {
                    Violation($"{client.Name}'s write {write.ActionId} ({write.Status}) ends {state.Status} (index {state.Index}); in the server's log: {inLog}");
                }
            }
        }

        CheckCounter(server, accepted);
        await CheckReplayAsync(server, page);
        await CheckLateJoinerAsync(server);
    }

    /// <summary>The counter record is the sum of exactly the increments the server accepted: none lost, none twice.</summary>
    private void CheckCounter(string server, Dictionary<Guid, long> accepted)
    {
        var expected = Oracle.Writes.Where(w => w.CounterDelta != 0 && accepted.ContainsKey(w.Write.ActionId)).Sum(w => w.CounterDelta);
        using var document = System.Text.Json.JsonDocument.Parse(server);
        var counter = document.RootElement.GetProperty("records").GetProperty("person").EnumerateArray().FirstOrDefault(p => p.GetProperty("id").GetString() == Counter.ToString("D"));
        var actual = counter.ValueKind == System.Text.Json.JsonValueKind.Object && counter.TryGetProperty("visits", out var visits) ? visits.GetDecimal() : 0m;
        if (actual != expected)
        {
            Violation($"the counter shows {actual}, but the accepted increments add up to {expected}");
        }
    }

    /// <summary>
    /// A fresh replay gives the server's state: the whole log when nothing was compacted, else the latest snapshot plus the
    /// tail. The replay also checks owned records, per-node stamp order, reported conflicts and unifications.
    /// </summary>
    private async Task CheckReplayAsync(string server, LogPage page)
    {
        var state = new InMemoryRecordState();
        var results = new Dictionary<Guid, ApplyResult>();
        var tail = page.Actions.Select(a => new LoggedAction(a.Index, a.ClientId, a.Principal, ActionBody.Deserialize(a.Body.Span))).ToList();
        if (page.Horizon > 0)
        {
            var snapshot = await Server.Store.GetLatestSnapshotAsync(Stream);
            if (snapshot is null || snapshot.Index < page.Horizon)
            {
                Violation($"the log is compacted to {page.Horizon} but no snapshot holds it");
                return;
            }

            await using var body = (await Server.Store.OpenSnapshotAsync(Stream, snapshot.Digest))!;
            SnapshotFormat.Load(body, state);
            tail = [.. tail.Where(a => a.Index > snapshot.Index)];
        }

        var lastStamp = new Dictionary<Guid, Core.Clock.HybridTimestamp>();
        var owners = new Dictionary<Guid, string>();
        foreach (var logged in tail)
        {
            Trace.Append("log ").Append(logged.Index).Append(' ').Append(_clients.FirstOrDefault(c => c.ClientId == logged.ClientId)?.Name).Append(' ').Append(logged.Action.Kind).Append(' ').Append(logged.Action.Id).Append(' ').Append(logged.Action.Hlc.Nanoseconds).AppendLine();
            var result = MergeEngine.Apply(state, logged.Action, new ApplyContext(logged.Principal));
            results[logged.Action.Id] = result;
            if (result.IsRejected)
            {
                Violation($"the log holds action {logged.Index} that a replay rejects: {result.Rejection!.Code}");
            }

            if (result.UnifiedWith is not null)
            {
                MustFire.Hit(MustFire.IdentityUnification);
            }

            if (lastStamp.TryGetValue(logged.ClientId, out var previous) && logged.Action.Hlc <= previous)
            {
                Violation($"stamps of client {logged.ClientId} go back in the log at {logged.Index} ({logged.Action.Kind} {logged.Action.Id}): {logged.Action.Hlc} after {previous}");
            }

            lastStamp[logged.ClientId] = logged.Action.Hlc;
            if (logged.Action is RecordAction { Collection: "note" } note)
            {
                if (note is CreateAction && state.GetRecord(MergeEngine.Resolve(state, "note", note.Record)) is { Owner: { } owner })
                {
                    owners.TryAdd(note.Record, owner);
                }
                else if (owners.TryGetValue(note.Record, out var creator) && creator != logged.Principal)
                {
                    Violation($"{logged.Principal} changed {creator}'s owned note {note.Record} at {logged.Index}");
                }
            }
        }

        var replayed = CanonicalExport.ToText(state);
        if (replayed != server)
        {
            Violation($"a fresh replay differs from the server:\n  replay {Shorten(replayed)}\n  server {Shorten(server)}");
        }

        foreach (var client in _clients.Where(c => !c.Reloaded))
        {
            var inbox = (await client.Replica!.GetConflictsAsync()).Select(c => c.ActionId).ToHashSet();
            foreach (var logged in tail.Where(l => l.ClientId == client.ClientId && results[l.Action.Id].Conflicts.Length > 0))
            {
                if (!inbox.Contains(logged.Action.Id))
                {
                    Violation($"{client.Name}'s action {logged.Action.Id} lost a merge ({results[logged.Action.Id].Conflicts[0].Kind}) but its conflict inbox does not say so");
                }
            }
        }
    }

    /// <summary>Compaction is safe: a brand-new replica (snapshot plus tail) ends where everyone else is.</summary>
    private async Task CheckLateJoinerAsync(string server)
    {
        var late = new SimClient("late", "p0", Path.Combine(_directory, "late.db"), new NodeTime(Clock));
        _clients.Add(late);
        Open(late);
        for (var i = 0; i < 200 && (await StepAsync(late))?.MadeProgress == true; i++)
        {
        }

        var export = await late.Replica!.ExportAsync();
        if (export != server)
        {
            Violation($"a new replica bootstrapped from the server does not match it:\n  new {Shorten(export)}\n  server {Shorten(server)}");
        }
    }

    private async Task<string> ExportAsync()
    {
        using var buffer = new MemoryStream();
        await Server.Store.ExportAsync(Stream, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Which of these actions the server ever accepted, and at which index (compacted or not).</summary>
    private async Task<Dictionary<Guid, long>> AcceptedAsync(IEnumerable<Guid> ids)
    {
        var accepted = new Dictionary<Guid, long>();
        var session = await Server.Store.BeginWriteAsync(Stream);
        await using (session)
        {
            foreach (var id in ids.Distinct())
            {
                if (session.FindAccepted(id) is { } found)
                {
                    accepted[id] = found.Index;
                }
            }
        }

        return accepted;
    }

    private static string Shorten(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
