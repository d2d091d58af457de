namespace Converge.Server.Storage;

/// <summary>A read of a stream's log: the entries after a cursor, and where the log stands, from one consistent view.</summary>
/// <param name="Actions">The entries, in index order.</param>
/// <param name="Head">The highest index.</param>
/// <param name="Horizon">The highest compacted index: entries at or below it are gone (a snapshot holds them).</param>
internal sealed record LogPage(IReadOnlyList<StoredAction> Actions, long Head, long Horizon);
