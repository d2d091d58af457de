using System.Text.Json;
using Converge.Core.Clock;

namespace Converge.Core.Merge;

/// <summary>A write that did not take effect, with its value and the value that won.</summary>
/// <param name="Kind">Why it lost.</param>
/// <param name="Collection">The record's collection.</param>
/// <param name="Record">The record id (canonical).</param>
/// <param name="Field">The field, or null for the record as a whole.</param>
/// <param name="Attempted">The value the write tried to set, or null when it had none (a delete).</param>
/// <param name="Winning">The value that stays; null when the record is deleted, or when a set element stays out of the set.</param>
/// <param name="WinningHlc">The stamp of the write (or delete) that won.</param>
public sealed record Conflict(
    ConflictKind Kind,
    string Collection,
    Guid Record,
    string? Field,
    JsonElement? Attempted,
    JsonElement? Winning,
    HybridTimestamp WinningHlc);
