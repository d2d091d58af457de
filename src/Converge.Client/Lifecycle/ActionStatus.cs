namespace Converge.Client.Lifecycle;

/// <summary>Where an action written on this replica is in its life.</summary>
public enum ActionStatus
{
    /// <summary>Written and applied locally; not yet sent.</summary>
    Pending,

    /// <summary>Sent to the server; its answer is not known yet (or it was accepted and awaits being pulled back).</summary>
    Sent,

    /// <summary>In the server's log at <see cref="ActionState.Index"/>.</summary>
    Confirmed,

    /// <summary>Refused, for <see cref="ActionState.Code"/>; its effect was rolled back and it is kept in the rejections.</summary>
    Rejected,

    /// <summary>No action with that id was written on this replica.</summary>
    Unknown,
}
