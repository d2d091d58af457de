namespace Converge.Client;

/// <summary>
/// Test-only switches that plant known bugs, so the simulator can prove it catches them. Scoped to the current async
/// flow (one simulated world); never set outside tests.
/// </summary>
internal static class PlantedBugs
{
    private static readonly AsyncLocal<bool> ApplyPulledTwiceFlag = new();
    private static readonly AsyncLocal<bool> SkipUndoFlag = new();

    /// <summary>Apply every pulled action twice.</summary>
    public static bool ApplyPulledTwice
    {
        get => ApplyPulledTwiceFlag.Value;
        set => ApplyPulledTwiceFlag.Value = value;
    }

    /// <summary>Apply pulled actions on top of the pending ones instead of beneath them.</summary>
    public static bool SkipUndo
    {
        get => SkipUndoFlag.Value;
        set => SkipUndoFlag.Value = value;
    }
}
