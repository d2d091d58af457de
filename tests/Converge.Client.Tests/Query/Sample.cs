using Converge.Client.Typed;

namespace Converge.Client.Tests.Query;

/// <summary>The property test's record: every field type the typed client stores, nullable and not, a unique identity, a set and a counter.</summary>
[ConvergeCollection("samples")]
public sealed record Sample
{
    public Guid Id { get; init; }

    [UniqueIdentity]
    public string? Key { get; init; }

    public string? Title { get; init; }

    public long Rank { get; init; }

    public int? Size { get; init; }

    public double Weight { get; init; }

    public decimal Price { get; init; }

    public decimal? Discount { get; init; }

    public bool Done { get; init; }

    public bool? Flag { get; init; }

    public DateTimeOffset Due { get; init; }

    public DateTimeOffset? Seen { get; init; }

    public Guid Token { get; init; }

    public Level Level { get; init; }

    public Level? Maybe { get; init; }

    public HashSet<string> Tags { get; init; } = [];

    [Counter]
    public long Visits { get; init; }
}
