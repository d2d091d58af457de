namespace Converge.Core.Merge;

/// <summary>Who is acting when an action is applied, and within which limits.</summary>
/// <param name="Principal">
/// The authenticated principal: owned records it creates belong to it, and only it may change them.
/// Null on a replica that does not know its principal yet: owner checks are then left to the server.
/// </param>
/// <param name="Limits">How far one action may grow the state; null for none (see <see cref="ApplyLimits.None"/>).</param>
/// <param name="IsNew">
/// True when the action is being written now (a push the server admits, a local write), not applied from the log:
/// the rules for new actions apply too (names: see the merge rules), which a log written before them need not meet.
/// </param>
internal readonly record struct ApplyContext(string? Principal, ApplyLimits? Limits = null, bool IsNew = false)
{
    /// <summary>The limits in force: <see cref="Limits"/>, or none.</summary>
    public ApplyLimits Bounds => Limits ?? ApplyLimits.None;
}
