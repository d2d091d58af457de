namespace Converge.Server;

/// <summary>
/// Test-only switches that plant known bugs, so the simulator can prove it catches them. Scoped to the current async
/// flow (one simulated world); never set outside tests.
/// </summary>
internal static class PlantedBugs
{
    private static readonly AsyncLocal<bool> AcceptWithoutPersistingFlag = new();

    /// <summary>Answer a push as accepted without committing it.</summary>
    public static bool AcceptWithoutPersisting
    {
        get => AcceptWithoutPersistingFlag.Value;
        set => AcceptWithoutPersistingFlag.Value = value;
    }
}
