namespace Converge.Client.Lifecycle;

/// <summary>The state of one action written on this replica.</summary>
/// <param name="ActionId">The action.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Index">Its log index, once confirmed (or acknowledged while still pending).</param>
/// <param name="Code">The rejection code, when rejected.</param>
/// <param name="Message">Why it was rejected, when rejected.</param>
public sealed record ActionState(Guid ActionId, ActionStatus Status, long? Index = null, string? Code = null, string? Message = null)
{
    /// <summary>True once the action is confirmed or rejected: its fate is known and will not change.</summary>
    public bool IsFinal => Status is ActionStatus.Confirmed or ActionStatus.Rejected;
}
