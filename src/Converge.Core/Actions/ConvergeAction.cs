using Converge.Core.Clock;

namespace Converge.Core.Actions;

/// <summary>One immutable change: a UUIDv7 id, a hybrid timestamp, and a body whose shape depends on the kind.</summary>
public abstract record ConvergeAction
{
    /// <summary>The action's UUIDv7 id, made by the client that wrote it.</summary>
    public required Guid Id { get; init; }

    /// <summary>The stamp of the client's hybrid clock when the action was written.</summary>
    public required HybridTimestamp Hlc { get; init; }

    /// <summary>The kind of the action.</summary>
    public abstract ActionKind Kind { get; }
}
