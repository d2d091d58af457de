namespace Converge.Client.Sync;

/// <summary>
/// The give-up rule after re-stamps: a server whose clock keeps refusing ours would have the replica re-stamp forever,
/// so after <see cref="MaxSteps"/> steps in a row that only re-stamped, a run ends and the loop waits its idle interval.
/// </summary>
internal sealed class RestampGiveUp
{
    /// <summary>Steps in a row that only re-stamped before giving up.</summary>
    public const int MaxSteps = 3;

    private int _inARow;

    /// <summary>Counts a step; true when the steps so far say: stop going again at once.</summary>
    public bool GivesUpAfter(SyncReport step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _inARow = step.Restamped > 0 && step.Accepted.IsEmpty && step.Pulled == 0 ? _inARow + 1 : 0;
        return _inARow >= MaxSteps;
    }
}
