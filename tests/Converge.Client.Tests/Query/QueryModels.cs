using Converge.Client.Typed;

namespace Converge.Client.Tests.Query;

public enum Level
{
    Low = 5,
    High = 1,
    Mid = 3,
}

/// <summary>One property per field type, nullable and not, for the query tests.</summary>
[ConvergeCollection("items")]
public sealed record Item
{
    public Guid Id { get; init; }

    [UniqueValue]
    public string? Code { get; init; }

    [Indexed]
    public string? Title { get; init; }

    public long Rank { get; init; }

    public int? Size { get; init; }

    public double Weight { get; init; }

    public decimal Price { get; init; }

    public decimal? Discount { get; init; }

    public bool Done { get; init; }

    public bool? Flag { get; init; }

    [Indexed]
    public DateTimeOffset Due { get; init; }

    public DateTimeOffset? Seen { get; init; }

    public Guid Token { get; init; }

    public Level Level { get; init; }

    public Level? Maybe { get; init; }

    public HashSet<string> Tags { get; init; } = [];

    public HashSet<long> Numbers { get; init; } = [];

    [Counter]
    public long Visits { get; init; }
}
