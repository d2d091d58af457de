using System.Collections.Immutable;

namespace Converge.Core.Tests.Merge.Laws;

/// <summary>A generated list of steps, printed one step a line when a property fails.</summary>
/// <param name="Steps">The steps, in the order they are made.</param>
public sealed record MergeScript(ImmutableArray<MergeStep> Steps)
{
    /// <inheritdoc />
    public override string ToString() => $"{Steps.Length} steps:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Steps);
}
