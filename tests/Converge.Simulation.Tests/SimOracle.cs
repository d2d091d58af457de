using Converge.Core.Protocol;

namespace Converge.Simulation.Tests;

/// <summary>What the simulator knows independently of the system under test: every write made, every acknowledgement seen.</summary>
internal sealed class SimOracle(SimWorld world)
{
    private readonly HashSet<string> _lostReplies = [];
    private readonly HashSet<string> _drifted = [];

    /// <summary>Every write a client committed locally, in order: the action and what the client said of it.</summary>
    public List<(SimClient Client, Client.LocalWrite Write, decimal CounterDelta)> Writes { get; } = [];

    /// <summary>Acknowledgements that reached a client: action id → index.</summary>
    public Dictionary<string, long> Acknowledged { get; } = [];

    /// <summary>Every result the server gave, delivered or not.</summary>
    public void Pushed(SimClient client, PushRequest request, PushResponse response)
    {
        world.Trace.Append("  push ").Append(client.Name).Append(' ').AppendJoin(' ', response.Results.Select(r => $"{r.Id[^4..]}:{r.Status}{r.Index}{r.Code}")).AppendLine();
        foreach (var result in response.Results)
        {
            if (result.Code == Core.RejectionCodes.ClockDrift)
            {
                _drifted.Add(result.Id);
            }
            else if (result.Status is PushStatus.Accepted or PushStatus.Duplicate && _drifted.Remove(result.Id))
            {
                world.MustFire.Hit(MustFire.DriftThenRetry);
            }

            if (result.Status == PushStatus.Duplicate && _lostReplies.Remove(result.Id))
            {
                world.MustFire.Hit(MustFire.DuplicateAfterLostReply);
            }
        }
    }

    /// <summary>A reply that reached the client: its acknowledgements count.</summary>
    public void Answered(SimClient client, PushResponse response)
    {
        foreach (var result in response.Results.Where(r => r.Status is PushStatus.Accepted or PushStatus.Duplicate))
        {
            if (Acknowledged.TryGetValue(result.Id, out var earlier) && earlier != result.Index)
            {
                world.Violation($"action {result.Id} was acknowledged at {earlier} and then at {result.Index}");
            }

            Acknowledged[result.Id] = result.Index!.Value;
        }
    }

    public void ReplyLost(SimClient client, PushRequest request)
    {
        foreach (var action in request.Actions!)
        {
            _lostReplies.Add(action.Id!);
        }
    }
}
