using Converge.Core.Schema;

namespace Converge.Core.Actions;

/// <summary>Adds collections or fields to the stream's schema. It may only add.</summary>
public sealed record SchemaAction : ConvergeAction
{
    /// <summary>The collections and fields to add.</summary>
    public required StreamSchema Schema { get; init; }

    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Schema;
}
