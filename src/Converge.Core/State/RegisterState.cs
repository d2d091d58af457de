using System.Text.Json;
using Converge.Core.Clock;

namespace Converge.Core.State;

/// <summary>A last-writer-wins register: the value and the stamp of the write that set it (a JSON null when cleared).</summary>
/// <param name="Value">The value; a JSON null when the field was cleared.</param>
/// <param name="Hlc">The stamp of the write that set it.</param>
internal sealed record RegisterState(JsonElement Value, HybridTimestamp Hlc) : FieldState;
