using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>What a pull found: actions, or that the replica must reload from a snapshot.</summary>
/// <param name="Status">Whether the actions came, or why not.</param>
/// <param name="Response">The actions and head, when <see cref="PullStatus.Ok"/>.</param>
public sealed record PullOutcome(PullStatus Status, PullResponse? Response)
{
    /// <summary>Actions came.</summary>
    public static PullOutcome Ok(PullResponse response) => new(PullStatus.Ok, response);
}
