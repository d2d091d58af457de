using Converge.Benchmarks.Harness;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// How B2 puts 1,000 writes into a replica. The client has no batch API yet, so <see cref="Current"/> is
/// <see cref="Sequential"/>: 1,000 <c>CreateAsync</c> calls, each its own transaction. When the batch API lands, add
/// a writer that calls it and point <see cref="Current"/> at it; nothing else changes.
/// </summary>
internal static class LocalBatchWriter
{
    /// <summary>The writer B2 measures.</summary>
    public static Writer Current { get; } = new("sequential CreateAsync (no batch API yet)", SequentialAsync);

    /// <summary>Writes records <c>first .. first + count - 1</c> of the workload.</summary>
    public delegate Task WriteBatch(Replica replica, int first, int count);

    /// <summary>A named way to write a batch.</summary>
    public sealed record Writer(string Name, WriteBatch WriteAsync);

    private static async Task SequentialAsync(Replica replica, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var write = await replica.CreateAsync(Workload.Collection, Workload.Fields(i));
            if (write.IsRejected)
            {
                throw new InvalidOperationException($"A benchmark write was rejected: {write.Rejection!.Code}.");
            }
        }
    }
}
