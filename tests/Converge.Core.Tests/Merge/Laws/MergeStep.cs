using System.Globalization;

namespace Converge.Core.Tests.Merge.Laws;

/// <summary>
/// One generated step of a script: which action, by which of three writers, after how much clock movement, on which
/// of the records created so far, with which values. Plain data, so FsCheck can print and shrink it.
/// </summary>
/// <param name="Kind">The action.</param>
/// <param name="Writer">The writer (0-2), each with a node of its own.</param>
/// <param name="AdvanceMs">How far the shared clock moves first, in ms (negative: back, as clocks drift).</param>
/// <param name="Record">Which record created so far (taken modulo their number; a fresh id when there is none).</param>
/// <param name="Value">The first value (taken modulo what the kind picks from).</param>
/// <param name="Value2">The second value.</param>
/// <param name="Order">Where the step goes in a permutation of its script (ties keep script order).</param>
public sealed record MergeStep(StepKind Kind, int Writer, int AdvanceMs, int Record, int Value, int Value2, int Order)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind}(writer {Writer}, {AdvanceMs:+0;-0} ms, record {Record}, {Value}, {Value2}, order {Order})");
}
