using System.Collections.Immutable;
using System.Security.Cryptography;
using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Export;

namespace Converge.Client.Sync;

/// <summary>
/// Loads the latest snapshot into the replica (a new replica, or one below the server's compaction horizon) and keeps
/// its pending actions, rebased on top. The body is downloaded to a temp file and its digest checked before anything changes.
/// </summary>
internal sealed class Bootstrapper(ReplicaKernel kernel)
{
    /// <summary>The report of the load, or null when the server has no snapshot (then the replica pulls from index 0).</summary>
    public async Task<SyncReport?> RunAsync(ISyncTransport transport, IProgress<SyncProgress>? progress, CancellationToken cancellationToken, bool reset = false)
    {
        var info = await transport.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (info.ServerTime is { } serverTime)
        {
            kernel.Clock.LearnServerTime(serverTime, info.SentAt, info.ReceivedAt);
        }

        if (info.Value is not { } snapshot)
        {
            if (reset)
            {
                return null;
            }

            await MarkBootstrappedAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        var file = Path.Combine(Path.GetTempPath(), $"converge-snapshot-{Guid.NewGuid():N}.gz");
        try
        {
            await DownloadAsync(transport, snapshot, file, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(new SyncProgress(SyncPhase.Loading, 0, null));
            return await kernel.LockedAsync(() => Load(file, snapshot.Index), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task DownloadAsync(ISyncTransport transport, Core.Protocol.SnapshotInfo snapshot, string file, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var body = await transport.OpenSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var target = File.Create(file);
            await using (target.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                    progress?.Report(new SyncProgress(SyncPhase.Downloading, total, null));
                }

                var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (digest != snapshot.Digest)
                {
                    throw new SnapshotMismatchException($"The snapshot's digest is {digest}, not the announced {snapshot.Digest}; nothing was loaded.") { Operation = "snapshot", Digest = snapshot.Digest, Index = snapshot.Index };
                }
            }
        }
    }

    /// <summary>Loads a snapshot whose digest matched: one that does not parse was made wrong by the server.</summary>
    private static SnapshotHeader LoadSnapshot(Stream stream, ReplicaFile db)
    {
        try
        {
            return SnapshotFormat.Load(stream, db.State!);
        }
        catch (FormatException e)
        {
            throw new ServerProtocolException($"The snapshot is not in the protocol's format: {e.Message} Nothing was loaded.", e) { Operation = "snapshot" };
        }
    }

    private SyncReport Load(string file, long index)
    {
        var db = kernel.File;
        var now = kernel.Time.GetUtcNow();
        using var bulk = db.BulkLoad();
        using var transaction = db.Write();
        var confirmed = ImmutableArray.CreateBuilder<ActionState>();
        var remaining = new List<PendingAction>();
        var conflicts = Rebase.Around(kernel, db.Pending.Load(), pending =>
        {
            db.ClearStreamState();
            using (var stream = File.OpenRead(file))
            {
                var header = LoadSnapshot(stream, db);
                if (header.Stream != kernel.Stream || header.Index != index)
                {
                    throw new SnapshotMismatchException($"The snapshot is of stream '{header.Stream}' at {header.Index}, not '{kernel.Stream}' at {index}; nothing was loaded.") { Operation = "snapshot", Index = index };
                }

                // Writes made after the load must order after everything the snapshot shows.
                kernel.Clock.Observe(header.MaxStamp);
                db.Meta.Raise(ReplicaKeys.MaxObserved, header.MaxStamp.Nanoseconds);
            }

            foreach (var action in pending)
            {
                if (action.AckedIndex is { } acked && acked <= index)
                {
                    confirmed.Add(db.Confirm(action.Action, acked, now));
                }
                else
                {
                    remaining.Add(action);
                }
            }

            db.Meta.Set(ReplicaKeys.Cursor, index);
            db.Meta.Set(ReplicaKeys.Bootstrapped, "1");
            kernel.Reached(remaining.Count > 0 ? ReplicaTestPoint.BootstrapPending : ReplicaTestPoint.BootstrapLoaded);
            return remaining;
        });
        kernel.SaveClock();
        kernel.Reached(ReplicaTestPoint.BootstrapCommit);
        transaction.Commit();
        kernel.Waiters.Resolve(confirmed);
        kernel.Changes.Queue(new ReplicaChange([], FromSync: true, Reloaded: true));
        return new SyncReport(remaining.Count > 0 ? SyncKind.Merged : SyncKind.PulledOnly, 0, 0, confirmed.ToImmutable(), [], [.. conflicts], index, TimeSpan.Zero, SnapshotIndex: index);
    }

    private Task<bool> MarkBootstrappedAsync(CancellationToken cancellationToken) =>
        kernel.LockedAsync(
            () =>
            {
                using var transaction = kernel.File.Write();
                kernel.File.Meta.Set(ReplicaKeys.Bootstrapped, "1");
                transaction.Commit();
                return true;
            },
            cancellationToken);
}
