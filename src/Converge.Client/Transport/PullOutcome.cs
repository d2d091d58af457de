using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>What a pull found: actions, or that the replica must reload from a snapshot.</summary>
/// <param name="Status">Whether the actions came, or why not.</param>
/// <param name="Response">The actions and head, when <see cref="PullStatus.Ok"/>.</param>
public sealed record PullOutcome(PullStatus Status, PullResponse? Response)
{
    /// <summary>The principal the server authenticated the pull as, when its answer said (a page or a problem).</summary>
    public string? Principal { get; init; }

    /// <summary>The actions in their envelopes, each with the bytes the server sent; set when actions came.</summary>
    internal PulledPage? Page { get; init; }

    /// <summary>Actions came, read with the server's bytes kept (<see cref="PullResponseReader"/>).</summary>
    internal static PullOutcome Ok(PulledPage page) => new(PullStatus.Ok, null) { Page = page, Principal = page.Principal };

    /// <summary>Actions came.</summary>
    public static PullOutcome Ok(PullResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new(PullStatus.Ok, response) { Principal = response.Principal };
    }
}
