namespace Converge.Client.Sync;

/// <summary>What one sync step did, as a value: its report, and what the engine and the loop decide from it.</summary>
/// <param name="Report">The step's report (pulled, pushed, accepted, rejected, conflicts, cursor...).</param>
/// <param name="Settled">
/// True when it left nothing another step at once would find: it pulled up to the server's head (or confirmed its push
/// in place) and nothing stays queued. The loop then waits to be woken.
/// </param>
/// <param name="OutcomeWritten">True when the step recorded its outcome (last sync, clock offset) in its own transaction.</param>
/// <param name="PushBatch">The push batch size the server's refusals taught this step, when they taught one.</param>
internal sealed record SyncStep(SyncReport Report, bool Settled = false, bool OutcomeWritten = false, int? PushBatch = null)
{
    /// <summary>A step that moved nothing, at <paramref name="cursor"/>.</summary>
    public static SyncStep Empty(long cursor) => new(new SyncReport(SyncKind.NoOp, 0, 0, [], [], [], cursor, TimeSpan.Zero));
}
