using System.Text.Json;
using Converge.Core.Clock;

namespace Converge.Core.State;

/// <summary>One element of a set: its value, its latest add and its latest remove.</summary>
/// <param name="Value">The element, as first written.</param>
/// <param name="Added">The stamp of the latest add; <see cref="HybridTimestamp.MinValue"/> if never added.</param>
/// <param name="Removed">The stamp of the latest remove; <see cref="HybridTimestamp.MinValue"/> if never removed.</param>
internal sealed record SetElement(JsonElement Value, HybridTimestamp Added, HybridTimestamp Removed);
