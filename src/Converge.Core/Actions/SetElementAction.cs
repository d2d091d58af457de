using System.Text.Json;

namespace Converge.Core.Actions;

/// <summary>Adds or removes one element of a set-valued field.</summary>
public abstract record SetElementAction : RecordAction
{
    /// <summary>The set-valued field.</summary>
    public required string Field { get; init; }

    /// <summary>The element.</summary>
    public required JsonElement Value { get; init; }
}
