using Converge.Client.Storage;
using Converge.Core.Actions;
using Converge.Core.Schema;
using Converge.Core.Protocol;

namespace Converge.Client.Sync;

/// <summary>
/// Decides whether a pulled page may be applied on top of the queue instead of beneath it: the state is the confirmed
/// state plus the queue, and when the page's actions from others commute with every queued action, applying them last
/// gives the same state as undoing the queue, applying them and re-applying it. The step then costs what the page
/// touches, not the length of the queue (a backlog pushed while others write).
/// </summary>
internal static class QueueOnTop
{
    /// <summary>
    /// True when the queue needs no undo for this page: this replica's own actions in it are the head of the queue, in
    /// order (the state holds them already, applied where the log puts them), and every other action is a record
    /// action on a record no queued action names, in a collection without unique fields (uniqueness and the aliases it
    /// makes reach across records), with no schema action queued (the page was checked against the confirmed schema).
    /// </summary>
    public static bool Fits(ReplicaFile file, IReadOnlyList<LoggedEnvelope> pulled, out HashSet<Guid> own)
    {
        own = [];
        if (file.Pending.IsEmpty())
        {
            // Nothing to undo: the usual path is as cheap.
            return false;
        }

        if (file.Pending.HasSchema())
        {
            return false;
        }

        var schema = file.State!.GetSchema();
        var ownInOrder = new List<Guid>();
        foreach (var logged in pulled)
        {
            var action = logged.Envelope.Action;
            if (file.Pending.Find(action.Id) is not null)
            {
                ownInOrder.Add(action.Id);
                continue;
            }

            if (action is not RecordAction record || !Plain(schema.FindCollection(record.Collection)) || file.Pending.Touches(record.Collection, record.Record))
            {
                return false;
            }
        }

        if (ownInOrder.Count > 0 && !file.Pending.Load(ownInOrder.Count, withJournals: false).Select(p => p.Action.Id).SequenceEqual(ownInOrder))
        {
            return false;
        }

        own = [.. ownInOrder];
        return true;
    }

    /// <summary>A known collection whose records cannot reach each other: no unique field.</summary>
    private static bool Plain(CollectionSchema? collection) => collection is not null && collection.Fields.Values.All(f => f.Unique == UniqueKind.None);
}
