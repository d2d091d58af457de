using System.Collections.Immutable;
using System.Security.Cryptography;
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
internal sealed class Bootstrapper(Replica replica)
{
    private ReplicaDatabase Database => replica.Database;

    /// <summary>The report of the load, or null when the server has no snapshot (then the replica pulls from index 0).</summary>
    public async Task<SyncReport?> RunAsync(ISyncTransport transport, IProgress<SyncProgress>? progress, CancellationToken cancellationToken, bool reset = false)
    {
        var info = await transport.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (info.ServerTime is { } serverTime)
        {
            replica.Clock.LearnServerTime(serverTime, info.SentAt, info.ReceivedAt);
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
            await replica.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            SyncReport report;
            try
            {
                report = Load(file, snapshot.Index);
            }
            finally
            {
                replica.Gate.Release();
            }

            replica.FlushChanges();
            return report;
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
    private SnapshotHeader LoadSnapshot(Stream stream)
    {
        try
        {
            return SnapshotFormat.Load(stream, Database.State!);
        }
        catch (FormatException e)
        {
            throw new ServerProtocolException($"The snapshot is not in the protocol's format: {e.Message} Nothing was loaded.", e) { Operation = "snapshot" };
        }
    }

    private SyncReport Load(string file, long index)
    {
        var now = replica.Options.Time.GetUtcNow();
        using var bulk = Database.BulkLoad();
        using var transaction = Database.Write();
        var pending = Database.LoadPending();
        Rebase.UndoAll(Database.State!, pending);
        Database.ClearStreamState();
        using (var stream = File.OpenRead(file))
        {
            var header = LoadSnapshot(stream);
            if (header.Stream != replica.Stream || header.Index != index)
            {
                throw new SnapshotMismatchException($"The snapshot is of stream '{header.Stream}' at {header.Index}, not '{replica.Stream}' at {index}; nothing was loaded.") { Operation = "snapshot", Index = index };
            }

            // Writes made after the load must order after everything the snapshot shows.
            replica.Clock.Observe(header.MaxStamp);
            Database.Set(ReplicaKeys.MaxObserved, Math.Max(Database.GetLong(ReplicaKeys.MaxObserved), header.MaxStamp.Nanoseconds));
        }

        var confirmed = ImmutableArray.CreateBuilder<ActionState>();
        var remaining = new List<PendingAction>();
        foreach (var action in pending)
        {
            if (action.AckedIndex is { } acked && acked <= index)
            {
                Database.RemovePending(action.Action.Id);
                Database.InsertConfirmed(action.Action, acked, now);
                confirmed.Add(new ActionState(action.Action.Id, ActionStatus.Confirmed, acked));
            }
            else
            {
                remaining.Add(action);
            }
        }

        Database.Set(ReplicaKeys.Cursor, index);
        Database.Set(ReplicaKeys.Bootstrapped, "1");
        replica.Fault(remaining.Count > 0 ? "bootstrap:pending" : "bootstrap:loaded");
        var conflicts = Rebase.ApplyAll(Database, remaining, replica.Context, now);
        replica.SaveClock();
        replica.Fault("bootstrap:commit");
        transaction.Commit();
        replica.Resolve(confirmed);
        replica.OnChanged(new ReplicaChange([], FromSync: true, Reloaded: true));
        return new SyncReport(remaining.Count > 0 ? SyncKind.Merged : SyncKind.PulledOnly, 0, 0, confirmed.ToImmutable(), [], [.. conflicts], index, TimeSpan.Zero, SnapshotIndex: index);
    }

    private async Task MarkBootstrappedAsync(CancellationToken cancellationToken)
    {
        await replica.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = Database.Write();
            Database.Set(ReplicaKeys.Bootstrapped, "1");
            transaction.Commit();
        }
        finally
        {
            replica.Gate.Release();
        }
    }
}
