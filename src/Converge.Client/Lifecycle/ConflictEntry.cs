using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Merge;

namespace Converge.Client.Lifecycle;

/// <summary>An entry of the conflict inbox: a write of this replica that lost, its value and the value that won.</summary>
/// <param name="ActionId">The write that lost.</param>
/// <param name="Kind">Why it lost: a newer write, or a tombstone.</param>
/// <param name="Collection">The record's collection.</param>
/// <param name="Record">The record.</param>
/// <param name="Field">The field, or null for the whole record.</param>
/// <param name="Attempted">The value it tried to set.</param>
/// <param name="Winning">The value that stayed (null when the record is deleted).</param>
/// <param name="WinningHlc">The stamp of the write that won.</param>
/// <param name="DetectedAt">When this replica saw it.</param>
public sealed record ConflictEntry(
    Guid ActionId,
    ConflictKind Kind,
    string Collection,
    Guid Record,
    string? Field,
    JsonElement? Attempted,
    JsonElement? Winning,
    HybridTimestamp WinningHlc,
    DateTimeOffset DetectedAt);
