using Converge.Core.Actions;
using Converge.Core.Tests.Merge.Laws;

namespace Converge.Core.Tests.Merge;

/// <summary>
/// Seeded random scripts over the fixture's person schema, for the snapshot tests that need a large history rather than a
/// law (the merge laws draw their scripts from FsCheck: <see cref="MergeArbitraries"/>).
/// </summary>
internal sealed class RandomWorkload
{
    private static readonly StepKind[] CommutingKinds =
    [
        StepKind.UpdateTags, StepKind.UpdateName, StepKind.UpdateAgeScore, StepKind.AddTag, StepKind.RemoveTag,
        StepKind.IncrementVisits, StepKind.IncrementBalance,
    ];

    private static readonly StepKind[] OtherKinds = [StepKind.CreateIdentified, StepKind.UpdateEmail, StepKind.UpdateUnknown, StepKind.RemoveBadge];

    private readonly Random _random;
    private readonly ActionScript _script = new();

    public RandomWorkload(int seed)
    {
        _random = new Random(seed);
    }

    public SchemaAction Schema() => _script.Schema();

    /// <summary>Creates of <paramref name="count"/> records with plain fields only.</summary>
    public List<ConvergeAction> Creates(int count) => [.. Enumerable.Range(0, count).Select(_ => _script.Next(Step(StepKind.CreatePlain)))];

    /// <summary>Actions that commute: field writes, set elements, counters and deletes on existing records.</summary>
    public List<ConvergeAction> Commuting(int count) => [.. Enumerable.Range(0, count).Select(_ => _script.Next(Step(NextCommuting())))];

    /// <summary>Any action, including ones the engine rejects and ones that unify or violate uniqueness.</summary>
    public List<ConvergeAction> Anything(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => _script.Next(Step(_random.Next(6) is var pick && pick < 4 ? OtherKinds[pick] : NextCommuting())))];

    private StepKind NextCommuting() => _random.Next(8) switch
    {
        7 => _random.Next(4) == 0 ? StepKind.Delete : StepKind.UpdateActive,
        var i => CommutingKinds[i],
    };

    private MergeStep Step(StepKind kind) =>
        new(kind, _random.Next(3), _random.Next(-50, 100), _random.Next(1000), _random.Next(1000), _random.Next(1000), 0);
}
