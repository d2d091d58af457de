using Converge.Benchmarks.Harness;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// How B2 puts 1,000 writes into a replica. <see cref="Current"/> is the writer the figure reports;
/// <see cref="Sequential"/> (1,000 <c>CreateAsync</c> calls, one transaction each, as before the batch API) is
/// measured beside it for reference. To measure another way of batching, add a writer and point
/// <see cref="Current"/> at it.
/// </summary>
internal static class LocalBatchWriter
{
    /// <summary>1,000 separate writes: what an app had to do before <c>WriteBatchAsync</c>.</summary>
    public static Writer Sequential { get; } = new("sequential CreateAsync, one transaction each", SequentialAsync);

    /// <summary>One <c>WriteBatchAsync</c> of 1,000 creates: one local transaction.</summary>
    public static Writer Batch { get; } = new("WriteBatchAsync, one transaction per 1,000", BatchAsync);

    /// <summary>The writer B2 reports.</summary>
    public static Writer Current => Batch;

    /// <summary>Writes records <c>first .. first + count - 1</c> of the workload.</summary>
    public delegate Task WriteBatch(Replica replica, int first, int count);

    /// <summary>A named way to write a batch.</summary>
    public sealed record Writer(string Name, WriteBatch WriteAsync);

    private static async Task SequentialAsync(Replica replica, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            Check(await replica.CreateAsync(Workload.Collection, Workload.Fields(i)));
        }
    }

    private static async Task BatchAsync(Replica replica, int first, int count)
    {
        var writes = await replica.WriteBatchAsync(batch =>
        {
            for (var i = first; i < first + count; i++)
            {
                batch.Create(Workload.Collection, Workload.Fields(i));
            }
        });
        foreach (var write in writes)
        {
            Check(write);
        }
    }

    private static void Check(LocalWrite write)
    {
        if (write.IsRejected)
        {
            throw new InvalidOperationException($"A benchmark write was rejected: {write.Rejection!.Code}.");
        }
    }
}
