using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Simulation.Tests;

/// <summary>
/// The network between clients and the server. Every decision comes from the world's seeded random generator, so a
/// seed replays exactly. Faults only strike while the world is in its chaos phase.
/// </summary>
internal sealed class SimNetwork(SimWorld world)
{
    private readonly Dictionary<Guid, LinkState> _links = [];
    private readonly List<(SimClient Client, PushRequest Request)> _delayed = [];

    public bool Faults { get; set; } = true;

    public LinkState Link(SimClient client) => _links.GetValueOrDefault(client.ClientId);

    public void SetLink(SimClient client, LinkState state) => _links[client.ClientId] = state;

    public void HealAll()
    {
        _links.Clear();
        Faults = false;
    }

    /// <summary>A request leaves the client: it may be lost on the way.</summary>
    public void Request(SimClient client)
    {
        var link = Link(client);
        if (link is LinkState.Down or LinkState.RequestsLost || (Faults && world.Chance(0.04)))
        {
            throw new ServerUnreachableException("simulated: the request was lost");
        }
    }

    /// <summary>A reply leaves the server: it may be lost on the way (after the server committed).</summary>
    public void Reply(SimClient client, PushRequest? lostReplyOf = null)
    {
        var link = Link(client);
        if (link is LinkState.Down or LinkState.RepliesLost || (Faults && world.Chance(0.05)))
        {
            if (lostReplyOf is not null)
            {
                world.Oracle.ReplyLost(client, lostReplyOf);
            }

            throw new ServerUnreachableException("simulated: the reply was lost");
        }
    }

    /// <summary>True when the network delivers this push twice.</summary>
    public bool Duplicates(SimClient client) => Faults && world.Chance(0.03);

    /// <summary>The network may keep a copy of a push and deliver it much later (reordered behind later traffic).</summary>
    public void DelayCopy(SimClient client, PushRequest request)
    {
        if (Faults && world.Chance(0.04))
        {
            _delayed.Add((client, request));
        }
    }

    /// <summary>Delivers a delayed copy, if any is waiting; its reply goes nowhere.</summary>
    public async Task DeliverDelayedAsync()
    {
        if (_delayed.Count == 0)
        {
            return;
        }

        var i = world.Random.Next(_delayed.Count);
        var (client, request) = _delayed[i];
        _delayed.RemoveAt(i);
        var response = await world.Server.PushAsync(world.Stream, client.Principal, request);
        world.Oracle.Pushed(client, request, response);
    }

    /// <summary>Delivers every delayed copy still waiting (when the network heals).</summary>
    public async Task DeliverAllDelayedAsync()
    {
        while (_delayed.Count > 0)
        {
            await DeliverDelayedAsync();
        }
    }

    /// <summary>While a request is in flight, other clients may act: the server moves on before the reply arrives.</summary>
    public async Task InFlightAsync(SimClient client)
    {
        if (Faults && world.Chance(0.1))
        {
            await world.InterleaveOthersAsync(client);
        }
    }
}
