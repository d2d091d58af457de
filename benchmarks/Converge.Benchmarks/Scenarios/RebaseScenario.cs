using System.Globalization;
using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B5: one sync step that rebases <see cref="Pending"/> pending updates over <see cref="Pulled"/> pulled ones, on a
/// replica of a small and of a large stream (each bootstrapped from a snapshot). The figure is the ratio of the two
/// median step times: about 1 when the cost follows the actions touched, not the size of the database. Rounds
/// alternate between the two replicas, so load from elsewhere on the machine falls on both alike.
/// </summary>
internal sealed class RebaseScenario : IScenario
{
    private const int Pending = 100;

    private const int Pulled = 100;

    private const int WarmUpRounds = 2;

    public string Id => "B5";

    public string Title => "rebase cost against replica size";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        await using var small = await RebaseSubject.OpenAsync(context, sizes.RebaseSmall);
        await using var large = await RebaseSubject.OpenAsync(context, sizes.RebaseLarge);
        var deadline = Deadline.In(sizes.LoopLimit);
        for (var round = 0; round < WarmUpRounds + sizes.RebaseRounds && !deadline.Passed; round++)
        {
            await small.RoundAsync(Pending, Pulled, timed: round >= WarmUpRounds);
            await large.RoundAsync(Pending, Pulled, timed: round >= WarmUpRounds);
        }

        foreach (var subject in new[] { small, large })
        {
            context.Log($"B5 {subject.Records:N0} records: steps {string.Join(", ", subject.Times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))} ms");
        }

        var ratio = Stats.Median(large.Times) / Stats.Median(small.Times);
        return new BenchResult(Id, Title, ratio, "x (large/small step time)", null, $"P={Pending}, R={Pulled}; {sizes.RebaseSmall:N0} vs {sizes.RebaseLarge:N0} records")
        {
            RatioMeaning = "none: the value is itself a ratio",
            Target = "<= 1.2",
            MeetsTarget = ratio <= 1.2,
            Details = new Dictionary<string, double>
            {
                ["smallStepMs"] = Stats.Median(small.Times),
                ["largeStepMs"] = Stats.Median(large.Times),
                ["rounds"] = small.Times.Count,
            },
            Note = $"median step times over the rounds after {WarmUpRounds} warm-up rounds; a step = pull R, undo P, apply R, re-apply P, in one transaction",
        };
    }
}
