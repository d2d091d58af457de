namespace Converge.Core.Tests.Merge.Laws;

/// <summary>A script of plain creates followed by actions that commute (field writes, set elements, counters, deletes).</summary>
/// <param name="Script">The steps: the creates first.</param>
public sealed record CommutingScript(MergeScript Script)
{
    /// <inheritdoc />
    public override string ToString() => Script.ToString();
}
