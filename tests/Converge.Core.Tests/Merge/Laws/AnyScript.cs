namespace Converge.Core.Tests.Merge.Laws;

/// <summary>A script of any steps, including ones the engine rejects and ones that unify or claim unique values.</summary>
/// <param name="Script">The steps.</param>
public sealed record AnyScript(MergeScript Script)
{
    /// <inheritdoc />
    public override string ToString() => Script.ToString();
}
