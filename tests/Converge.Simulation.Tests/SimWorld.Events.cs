using System.Globalization;
using System.Text.Json;
using Converge.Client;
using Converge.Client.Kernel;
using Converge.Core.Export;
using Converge.Core.Merge;

namespace Converge.Simulation.Tests;

/// <summary>The chaos phase: one random event at a time.</summary>
internal sealed partial class SimWorld
{
    private static readonly string[] Names = ["Ann", "Bob", "Cy", "Di", "Ed"];
    private static readonly string[] Emails = ["a@x.io", "b@x.io", "c@x.io", "d@x.io"];
    private static readonly string[] Phones = ["+1", "+2", "+3"];
    private static readonly string[] Tags = ["red", "green", "blue"];

    private async Task ChaosEventAsync()
    {
        Clock.Advance(TimeSpan.FromMilliseconds(Random.Next(0, 400)));
        if (_waiting.Count > 0 && Chance(0.03))
        {
            var late = _waiting[0];
            _waiting.RemoveAt(0);
            await JoinAsync(late);
            return;
        }

        var client = _clients[Random.Next(_clients.Count)];
        var roll = Random.NextDouble();
        switch (roll)
        {
            case < 0.40:
                await WriteAsync(client);
                break;
            case < 0.70:
                await StepAsync(client);
                break;
            case < 0.74:
                await CrashMidStepAsync(client);
                break;
            case < 0.77:
                await CrashAsync(client);
                break;
            case < 0.79:
                Trace.AppendLine("server crash");
                Server.Crash();
                break;
            case < 0.83:
                Trace.AppendLine("maintenance");
                await Server.MaintainAsync(forceSnapshot: Chance(0.5));
                break;
            case < 0.86:
                Trace.AppendLine("delayed delivery");
                await Network.DeliverDelayedAsync();
                break;
            case < 0.91:
                Partition(client);
                break;
            case < 0.95:
                ShiftClock(client);
                break;
            case < 0.97:
                GoOffline(client);
                break;
            default:
                Clock.Advance(TimeSpan.FromMinutes(Random.Next(1, 180)));
                break;
        }
    }

    /// <summary>A crash at a fault point inside the client's next step (or write): the transaction under way never commits.</summary>
    private async Task CrashMidStepAsync(SimClient client)
    {
        var point = FaultPoints[Random.Next(FaultPoints.Length)];
        var skips = Random.Next(0, 2);
        var crashed = false;
        client.Hooks!.Fault = p =>
        {
            if (p == point && skips-- <= 0)
            {
                crashed = true;
                throw new SimCrash(p.ToString());
            }
        };
        Trace.Append("crash at ").Append(point).Append(' ').AppendLine(client.Name);
        try
        {
            if (point == ReplicaTestPoint.WriteCommit)
            {
                await WriteAsync(client);
            }
            else
            {
                await StepAsync(client);
            }
        }
        catch (SimCrash)
        {
            crashed = true;
        }
        finally
        {
            client.Hooks.Fault = null;
        }

        if (crashed)
        {
            if (point is ReplicaTestPoint.RebaseUndone or ReplicaTestPoint.RebaseApplied)
            {
                MustFire.Hit(MustFire.CrashDuringRebase);
            }

            await CrashAsync(client);
        }
    }

    private void Partition(SimClient client)
    {
        var state = (LinkState)Random.Next(1, 4);
        Trace.Append("link ").Append(client.Name).Append(' ').AppendLine(state.ToString());
        Network.SetLink(client, state);
        Later(Random.Next(2, 15), () => Network.SetLink(client, LinkState.Up));
    }

    private void ShiftClock(SimClient client)
    {
        var change = Random.Next(4) switch
        {
            0 => TimeSpan.FromMilliseconds(Random.Next(150, 5_000)),
            1 => -TimeSpan.FromMilliseconds(Random.Next(1, 30_000)),
            2 => TimeSpan.FromMinutes(Random.Next(1, 30)),
            _ => -client.Time.Offset,
        };
        client.Time.Offset += change;
        Trace.Append("clock ").Append(client.Name).Append(' ').AppendLine(client.Time.Offset.ToString("c", CultureInfo.InvariantCulture));
    }

    /// <summary>The device is off the network for hours or up to a week; others keep going (and the server may compact).</summary>
    private void GoOffline(SimClient client)
    {
        Trace.Append("offline ").AppendLine(client.Name);
        Network.SetLink(client, LinkState.Down);
        Clock.Advance(TimeSpan.FromHours(Random.Next(1, 24 * 7)));
        Later(Random.Next(3, 20), () => Network.SetLink(client, LinkState.Up));
    }

    /// <summary>A random write, checked for read-your-writes when it applied cleanly.</summary>
    private async Task WriteAsync(SimClient client)
    {
        var replica = client.Replica!;
        var before = replica.Clock.Save().LastNanoseconds;
        var person = Known("person");
        decimal counterDelta = 0;
        JsonElement? expected = null;
        LocalWrite write;
        switch (Random.Next(14))
        {
            case 0:
            case 1:
                var id = Ids.Next();
                write = await replica.CreateAsync("person", Person(), id);
                Remember("person", id);
                break;
            case 2:
            case 3:
                var fields = Json($$"""{"name":"{{Pick(Names)}}","age":{{Random.Next(100)}},"score":{{Random.Next(100)}}.25}""");
                write = await replica.UpdateAsync("person", person, fields);
                expected = fields;
                break;
            case 4:
                write = await replica.UpdateAsync("person", person, Json($$"""{"phone":"{{Pick(Phones)}}"}"""));
                break;
            case 5 when person != Counter:
                write = await replica.DeleteAsync("person", person);
                break;
            case 6:
                write = await replica.AddAsync("person", person, "tags", Json($"\"{Pick(Tags)}\""));
                break;
            case 7:
                write = await replica.RemoveAsync("person", person, Chance(0.8) ? "tags" : "badges", Json($"\"{Pick(Tags)}\""));
                break;
            case 8:
            case 9:
                counterDelta = Random.Next(-3, 6);
                write = await replica.IncrementAsync("person", Counter, "visits", counterDelta);
                break;
            case 10:
                var note = Ids.Next();
                write = await replica.CreateAsync("note", Json($$"""{"text":"by {{client.Principal}}"}"""), note);
                Remember("note", note);
                break;
            case 11:
                write = await replica.UpdateAsync("note", Known("note"), Json($$"""{"text":"edited by {{client.Principal}}"}"""));
                break;
            case 12:
                write = await replica.CreateAsync("blob", Json($$"""{"title":"t{{Random.Next(9)}}","any{{Random.Next(3)}}":[{{Random.Next(5)}}]}"""), Ids.Next());
                break;
            default:
                write = Chance(0.5)
                    ? await replica.CreateAsync("nowhere", Json("{}"))
                    : await replica.UpdateAsync("person", person, Json("""{"age":"not a number"}"""));
                break;
        }

        Oracle.Writes.Add((client, write, counterDelta));
        Trace.Append("write ").Append(client.Name).Append(' ').Append(write.Status).Append(' ').Append(write.Rejection?.Code).Append(" id=").Append(write.ActionId).Append(" hlc-last=").Append(replica.Clock.Save().LastNanoseconds).AppendLine();
        if (!write.IsRejected && replica.Clock.Save().LastNanoseconds <= before)
        {
            Violation($"{client.Name}'s clock did not move forward for a write ({before} then {replica.Clock.Save().LastNanoseconds})");
        }

        if (expected is { } fieldsWritten && write.Status == ApplyStatus.Applied && write.Conflicts.IsEmpty && write.Record is { } record
            && await replica.GetAsync("person", record) is { } visible)
        {
            foreach (var field in fieldsWritten.EnumerateObject())
            {
                if (!visible.TryGetProperty(field.Name, out var value) || CanonicalJson.ToText(value) != CanonicalJson.ToText(field.Value))
                {
                    Violation($"read-your-writes: {client.Name} wrote {field.Name}={field.Value} and reads {(visible.TryGetProperty(field.Name, out var v) ? v.GetRawText() : "nothing")}");
                }
            }
        }
    }

    private JsonElement Person()
    {
        var fields = new List<string> { $"\"name\":\"{Pick(Names)}\"" };
        if (Chance(0.5))
        {
            fields.Add($"\"email\":\"{Pick(Emails)}\"");
        }

        if (Chance(0.3))
        {
            fields.Add($"\"phone\":\"{Pick(Phones)}\"");
        }

        if (Chance(0.5))
        {
            fields.Add($"\"age\":{Random.Next(100)},\"balance\":{Random.Next(1000)}.{Random.Next(100):D2},\"active\":{(Chance(0.5) ? "true" : "false")}");
        }

        if (Chance(0.3))
        {
            fields.Add($"\"born\":\"{Clock.Now.AddDays(-Random.Next(10_000)).ToOffset(TimeSpan.FromHours(Random.Next(-5, 6))):yyyy-MM-dd'T'HH:mm:ss.fffffffzzz}\",\"token\":\"{Ids.Next()}\",\"friend\":\"{Known("person")}\"");
        }

        if (Chance(0.4))
        {
            fields.Add($"\"tags\":[\"{Pick(Tags)}\"],\"badges\":[\"{Pick(Tags)}\"],\"extra\":{{\"k\":[{Random.Next(9)}]}}");
        }

        if (Chance(0.3))
        {
            fields.Add($"\"visits\":{Random.Next(5)},\"credit\":{Random.Next(50)}.5");
        }

        return Json("{" + string.Join(',', fields) + "}");
    }

    private T Pick<T>(T[] items) => items[Random.Next(items.Length)];

    private static JsonElement Json(string text) => CanonicalJson.Parse(text);
}
