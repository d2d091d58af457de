namespace Converge.Client.Tests.Query;

/// <summary>
/// The few values each field of <see cref="Sample"/> takes in the property test: small domains, so that filters hit
/// ties, equal values written differently (1.5 and 1.50, one instant at two offsets), case and accents, and nulls.
/// </summary>
internal static class SampleDomain
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly string?[] Keys = [null, "k0", "k1", "k2"];

    // Ordinal order differs from culture order here ("B" < "a" < "b" < "é"); none in U+E000-U+FFFF (documented gap).
    public static readonly string?[] Titles = [null, "", "a", "B", "b", "ab", "a b", "é", "e\u0301", "z", "Zebra"];

    public static readonly long[] Ranks = [-3, -1, 0, 1, 2, 7, 1L << 40];

    public static readonly int?[] Sizes = [null, -1, 0, 2, 5];

    public static readonly double[] Weights = [-1.5, 0, 0.25, 1, 2.5, 1e10];

    public static readonly decimal[] Prices = [0m, 1.5m, 1.50m, 2m, -3.25m, 10m, 100.000m];

    public static readonly decimal?[] Discounts = [null, 0.5m, 2.5m, 2.50m, -1m];

    public static readonly bool[] Bools = [false, true];

    public static readonly bool?[] Flags = [null, false, true];

    // The same instant at three offsets, a tick later, a minute later at -05:00, a day earlier.
    public static readonly DateTimeOffset[] Instants =
    [
        Noon, Noon.ToOffset(TimeSpan.FromHours(2)), Noon.ToOffset(TimeSpan.FromHours(-5)), Noon.AddTicks(1),
        Noon.AddMinutes(1).ToOffset(TimeSpan.FromHours(-5)), Noon.AddDays(-1).ToOffset(TimeSpan.FromMinutes(330)),
    ];

    public static readonly DateTimeOffset?[] MaybeInstants = [null, .. Instants.Select(i => (DateTimeOffset?)i)];

    // Uuids whose Guid.CompareTo order is not the order of their bytes in memory.
    public static readonly Guid[] Tokens =
    [
        Guid.Empty, Guid.Parse("00000001-0000-0000-0000-000000000000"), Guid.Parse("00000000-0001-0000-0000-000000000000"),
        Guid.Parse("00000000-0000-0100-0000-000000000000"), Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("ffffffff-ffff-ffff-ffff-fffffffffffe"),
    ];

    public static readonly Level[] Levels = [Level.Low, Level.High, Level.Mid];

    public static readonly Level?[] MaybeLevels = [null, Level.Low, Level.High, Level.Mid];

    public static readonly string[] TagValues = ["red", "Red", "blue", ""];

    /// <summary>The fields a step writes, by index.</summary>
    public static readonly string[] Fields = ["Key", "Title", "Rank", "Size", "Weight", "Price", "Discount", "Done", "Flag", "Due", "Seen", "Token", "Level", "Maybe"];

    /// <summary><paramref name="sample"/> with field <paramref name="field"/> set to its domain's value number <paramref name="pick"/>.</summary>
    public static Sample With(Sample sample, int field, int pick) => Fields[field] switch
    {
        "Key" => sample with { Key = Pick(Keys, pick) },
        "Title" => sample with { Title = Pick(Titles, pick) },
        "Rank" => sample with { Rank = Pick(Ranks, pick) },
        "Size" => sample with { Size = Pick(Sizes, pick) },
        "Weight" => sample with { Weight = Pick(Weights, pick) },
        "Price" => sample with { Price = Pick(Prices, pick) },
        "Discount" => sample with { Discount = Pick(Discounts, pick) },
        "Done" => sample with { Done = Pick(Bools, pick) },
        "Flag" => sample with { Flag = Pick(Flags, pick) },
        "Due" => sample with { Due = Pick(Instants, pick) },
        "Seen" => sample with { Seen = Pick(MaybeInstants, pick) },
        "Token" => sample with { Token = Pick(Tokens, pick) },
        "Level" => sample with { Level = Pick(Levels, pick) },
        _ => sample with { Maybe = Pick(MaybeLevels, pick) },
    };

    public static T Pick<T>(T[] values, int pick) => values[pick % values.Length];
}
