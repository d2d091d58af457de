using System.Globalization;
using Converge.Client.Kernel;
using Converge.Client.Storage;

namespace Converge.Client.Sync;

/// <summary>The outcome of a step as the replica keeps it: the clock's offset, the last sync's time, kind and error.</summary>
internal static class SyncOutcome
{
    /// <summary>
    /// Records the outcome inside the caller's transaction. A step that ends in its own transaction writes it there
    /// (and says so in its <see cref="SyncStep"/>), so applying what a wake-up brought costs one transaction.
    /// </summary>
    public static void Write(ReplicaKernel kernel, string? kind, string? error = null)
    {
        var meta = kernel.File.Meta;
        meta.Set(ReplicaKeys.ClockOffset, kernel.Clock.Save().OffsetTicks);
        if (error is null)
        {
            meta.Set(ReplicaKeys.LastSyncAt, kernel.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            meta.Set(ReplicaKeys.LastSyncKind, kind ?? meta.Get(ReplicaKeys.LastSyncKind) ?? SyncReport.NameOf(SyncKind.NoOp));
        }

        meta.Set(ReplicaKeys.LastSyncError, error);
    }

    /// <summary>Records the outcome in a transaction of its own (a step that did not, or failed).</summary>
    public static Task RecordAsync(ReplicaKernel kernel, string? kind, string? error) =>
        kernel.LockedAsync(
            () =>
            {
                using var transaction = kernel.File.Write();
                Write(kernel, kind, error);
                transaction.Commit();
                return true;
            },
            CancellationToken.None);
}
