using FsCheck;
using FsCheck.Fluent;

namespace Converge.Core.Tests.Merge.Laws;

/// <summary>
/// FsCheck's generators and shrinkers of scripts. A script is as long as the property's size (set it with
/// <c>StartSize</c> = <c>EndSize</c>); it shrinks by dropping steps, halves first, so a failure comes down to the few
/// actions that make it.
/// </summary>
public static class MergeArbitraries
{
    private static readonly Gen<StepKind> Commuting = Gen.Frequency(
        (4, Gen.Constant(StepKind.UpdateTags)),
        (4, Gen.Constant(StepKind.UpdateName)),
        (4, Gen.Constant(StepKind.UpdateAgeScore)),
        (4, Gen.Constant(StepKind.AddTag)),
        (4, Gen.Constant(StepKind.RemoveTag)),
        (4, Gen.Constant(StepKind.IncrementVisits)),
        (4, Gen.Constant(StepKind.IncrementBalance)),
        (1, Gen.Constant(StepKind.Delete)),
        (3, Gen.Constant(StepKind.UpdateActive)));

    private static readonly Gen<StepKind> Anything = Gen.Frequency(
        (1, Gen.Constant(StepKind.CreateIdentified)),
        (1, Gen.Constant(StepKind.UpdateEmail)),
        (1, Gen.Constant(StepKind.UpdateUnknown)),
        (1, Gen.Constant(StepKind.RemoveBadge)),
        (2, Commuting));

    /// <summary>Three plain creates, then as many commuting steps as the size says.</summary>
    public static Arbitrary<CommutingScript> CommutingScript() =>
        Arb.From(
            Gen.Sized(size => from creates in Gen.ArrayOf(Steps(Gen.Constant(StepKind.CreatePlain)), 3)
                              from steps in Gen.ArrayOf(Steps(Commuting), size)
                              select new CommutingScript(new MergeScript([.. creates, .. steps]))),
            script => Shrink(script.Script).Select(s => new CommutingScript(s)));

    /// <summary>As many steps of any kind as the size says.</summary>
    public static Arbitrary<AnyScript> AnyScript() =>
        Arb.From(
            Gen.Sized(size => Gen.ArrayOf(Steps(Anything), size).Select(steps => new AnyScript(new MergeScript([.. steps])))),
            script => Shrink(script.Script).Select(s => new AnyScript(s)));

    /// <summary>The script without its first half, without its second half, then without each one step.</summary>
    public static IEnumerable<MergeScript> Shrink(MergeScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var steps = script.Steps;
        if (steps.Length >= 4)
        {
            yield return new MergeScript(steps[(steps.Length / 2)..]);
            yield return new MergeScript(steps[..(steps.Length / 2)]);
        }

        for (var i = 0; i < steps.Length; i++)
        {
            yield return new MergeScript(steps.RemoveAt(i));
        }
    }

    private static Gen<MergeStep> Steps(Gen<StepKind> kinds) =>
        from kind in kinds
        from writer in Gen.Choose(0, 2)
        from advance in Gen.Choose(-50, 99)
        from record in Gen.Choose(0, 1000)
        from value in Gen.Choose(0, 999)
        from value2 in Gen.Choose(0, 999)
        from order in Gen.Choose(0, 1000)
        select new MergeStep(kind, writer, advance, record, value, value2, order);
}
