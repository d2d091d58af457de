using System.Text.Json;

namespace Converge.Client.Typed;

/// <summary>
/// What a typed collection knows of one instance the caller holds: the record it is of, and its fields as last read or
/// saved (the baseline a tracked update diffs against). Saves of one instance take and swap the baseline under its lock,
/// so two saves racing split the changes between them and never send one twice.
/// </summary>
internal sealed class TrackedInstance(Guid id, IReadOnlyDictionary<string, JsonElement>? baseline)
{
    /// <summary>Held while a save reads the instance, diffs and swaps the baseline (never across an await).</summary>
    public Lock Gate { get; } = new();

    /// <summary>The record the instance is of: the id it was read with, or the one its insert gave it.</summary>
    public Guid Id { get; } = id;

    /// <summary>The fields as last read or saved; null when the instance was never read or saved (not tracked yet).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Baseline { get; set; } = baseline;
}
