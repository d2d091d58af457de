using Converge.Client.Kernel;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Errors;

namespace Converge.Client.Sync;

/// <summary>
/// What a step does when the server cannot continue from its cursor, and when an answer names another principal:
/// reload from a snapshot (or from empty), re-queue what a restored server lost, apply the queue again under the new principal.
/// </summary>
internal sealed class Reloader(ReplicaKernel kernel, Bootstrapper bootstrapper, Pusher pusher)
{
    private ReplicaFile File => kernel.File;

    /// <summary>
    /// The server cannot continue from this cursor: it compacted past it (<c>snapshot_required</c>), or it has less
    /// than this replica applied (<c>cursor_ahead</c>, a server restored from a backup). Sent actions whose answer was
    /// lost are pushed first, so the reload knows which of them the server holds; after a <c>cursor_ahead</c>, this
    /// replica's confirmed actions the server no longer has are queued again.
    /// </summary>
    public async Task<SyncStep> ReloadAsync(ISyncTransport transport, Reload reload, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var cursor = await kernel.LockedAsync(() => File.Meta.GetLong(ReplicaKeys.Cursor), cancellationToken).ConfigureAwait(false);
        var pushed = await pusher.PushAsync(transport, new PushOptions(cursor, reload.PushBatch, SentOnly: true), progress, cancellationToken).ConfigureAwait(false);
        if (pushed.Report.Pushed > 0)
        {
            return pushed;
        }

        if (reload.Status == PullStatus.CursorAhead)
        {
            var first = (await transport.PullAsync(0, 1, cancellationToken).ConfigureAwait(false)).Value;
            await LearnPrincipalAsync(first, cancellationToken).ConfigureAwait(false);
            if (!await kernel.LockedAsync(() => RequeueLost(first.Response?.Head ?? 0), cancellationToken).ConfigureAwait(false))
            {
                // Reloading now would drop this replica's confirmed actions the restored server lacks: keep everything.
                throw new ServerProtocolException(
                    "The server has less than this replica applied (restored from a backup?), and it did not say which principal this replica's token is, " +
                    "so the replica cannot tell which of its confirmed actions to push again. Nothing was changed; sync again once the server names the principal in its answers.");
            }
        }

        var loaded = await bootstrapper.RunAsync(transport, progress, cancellationToken, reset: true).ConfigureAwait(false)
            ?? (reload.Status == PullStatus.CursorAhead
                ? await kernel.LockedAsync(ResetToEmpty, cancellationToken).ConfigureAwait(false)
                : throw new ServerProtocolException("The server asked for a reload from a snapshot but has none.") { Operation = "snapshot" });
        return new SyncStep(loaded, PushBatch: pushed.PushBatch);
    }

    /// <summary>Stores the principal a pull answer named (a page or a problem), when it is not the one stored.</summary>
    public async Task LearnPrincipalAsync(PullOutcome outcome, CancellationToken cancellationToken)
    {
        if ((outcome.Principal ?? outcome.Response?.Principal) is { Length: > 0 } principal)
        {
            await kernel.LockedAsync(() => AdoptPrincipal(principal), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores the principal the server authenticated this replica as. When it differs from the one stored, the queue is
    /// applied again under it, as after a push that named a new one (owned records the queue creates are its).
    /// </summary>
    private bool AdoptPrincipal(string principal)
    {
        if (File.Meta.Get(ReplicaKeys.Principal) == principal)
        {
            return false;
        }

        using var transaction = File.Write();
        File.Meta.Set(ReplicaKeys.Principal, principal);
        // Only an owned collection's rules read the principal (and a collection never becomes owned later): without
        // one, applying the queue again would give the same state, at the cost of the whole queue.
        if (DependsOnPrincipal(File.State!.GetSchema()) && File.Pending.Load() is { Count: > 0 } pending)
        {
            Rebase.Around(kernel, pending, same => same);
        }

        transaction.Commit();
        return true;
    }

    /// <summary>Whether applying an action can depend on who the principal is: some collection is owned.</summary>
    internal static bool DependsOnPrincipal(Core.Schema.StreamSchema schema) => schema.Collections.Values.Any(c => c.Owned);

    /// <summary>
    /// After <c>cursor_ahead</c>: this replica's confirmed actions past the server's head are pending again, same ids and
    /// bodies. Only those its principal wrote through its client id: never another replica's, nor another principal's
    /// logged under this id (a server before ids were bound let that happen), nor anything while the principal is not
    /// known (a new token, and a server that did not name it), since a push would send them as whoever the token is now.
    /// False, changing nothing, when the principal is not known and the log past the head holds actions pushed through
    /// this client id: the caller must not reload then.
    /// </summary>
    private bool RequeueLost(long head)
    {
        var now = kernel.Time.GetUtcNow();
        using var transaction = File.Write();
        if (File.Meta.Get(ReplicaKeys.Principal) is not { Length: > 0 } principal)
        {
            // Nothing past the head came through this client id: nothing of this replica's is lost, so it may reload.
            return !File.Log.HasLoggedThrough(head, kernel.ClientId);
        }

        var pending = File.Pending.Load(withJournals: false).Select(p => p.Action.Id).ToHashSet();
        foreach (var action in File.Log.LoadOwn(head, kernel.ClientId, principal).Where(a => !pending.Contains(a.Id)))
        {
            File.Confirmed.Forget(action.Id);
            File.Pending.Insert(action, Core.State.UndoJournal.Empty, now);
        }

        transaction.Commit();
        return true;
    }

    /// <summary>After <c>cursor_ahead</c> with no snapshot to load: start again from an empty state, keeping the queue.</summary>
    private SyncReport ResetToEmpty()
    {
        using var transaction = File.Write();
        var conflicts = Rebase.Around(kernel, File.Pending.Load(), pending =>
        {
            File.ClearStreamState();
            File.Meta.Set(ReplicaKeys.Cursor, 0);
            return pending;
        });
        transaction.Commit();
        kernel.Changes.Queue(new ReplicaChange([], FromSync: true, Reloaded: true));
        return new SyncReport(SyncKind.Merged, 0, 0, [], [], [.. conflicts], 0, TimeSpan.Zero, SnapshotIndex: 0);
    }
}
