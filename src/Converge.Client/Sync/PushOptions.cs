namespace Converge.Client.Sync;

/// <summary>What a push of a step may take: from which cursor, how many actions, and whether only those sent before.</summary>
/// <param name="Cursor">The replica's cursor when the step began.</param>
/// <param name="BatchSize">The most actions to send at once.</param>
/// <param name="SentOnly">True to push only actions sent before whose answer was lost (before a reload).</param>
internal sealed record PushOptions(long Cursor, int BatchSize, bool SentOnly);
