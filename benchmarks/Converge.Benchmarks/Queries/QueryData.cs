using System.Globalization;

namespace Converge.Benchmarks.Queries;

/// <summary>The records of Q1-Q5, the same on both sides: record <c>i</c> is fixed by <c>i</c> (due dates in a scattered order).</summary>
internal static class QueryData
{
    /// <summary>The earliest due date; record due dates are one minute apart from it, in a scattered order.</summary>
    public static DateTimeOffset Start { get; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Guid[] Owners = [.. Enumerable.Range(0, 50).Select(i => new Guid(i + 1, 0, 0, new byte[8]))];

    /// <summary>Record number <paramref name="i"/> of <paramref name="count"/> (ids are new UUIDv7s, made by the caller).</summary>
    public static QueryTodo Make(Guid id, int i, int count) => new()
    {
        Id = id,
        Title = string.Create(CultureInfo.InvariantCulture, $"todo {i:D8}: water the plants"),
        Done = i % 3 == 0,
        Due = Start.AddMinutes(Scatter(i, count)),
        Priority = i % 5,
        Cost = (i % 10_000) / 100m + 0.5m,
        Owner = Owners[i % Owners.Length],
        Code = Code(i),
    };

    /// <summary>The unique code of record <paramref name="i"/>.</summary>
    public static string Code(int i) => string.Create(CultureInfo.InvariantCulture, $"C-{i:D8}");

    /// <summary>A due date's text as both sides store it (System.Text.Json's round-trip form, the offset kept).</summary>
    public static string DueText(DateTimeOffset due) => due.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A permutation of 0..count-1 (count and the multiplier are coprime), so due dates do not follow insertion order.</summary>
    private static long Scatter(int i, int count) => (long)i * 7_919 % count;
}
