using Converge.Core.Actions;
using Converge.Core.Merge;

namespace Converge.Server.Storage;

/// <summary>
/// One write transaction on one stream: the stream's head is held until the session ends, so appends are
/// gapless and exactly once. The state and the log change together at <see cref="CommitAsync"/>, or not at all.
/// </summary>
internal interface IStreamWriteSession : IAsyncDisposable
{
    /// <summary>The stream.</summary>
    string Stream { get; }

    /// <summary>The highest index, including appends in this session.</summary>
    long Head { get; }

    /// <summary>The stream's materialized state, read and written inside the transaction.</summary>
    IRecordState State { get; }

    /// <summary>
    /// True when other writes wait for this session to end (a store whose one writer serves every stream): a long
    /// batch should commit soon and let them in. Always false on a store where streams do not wait for each other.
    /// </summary>
    bool OthersWaiting { get; }

    /// <summary>
    /// A hint before a batch: the actions about to be decided, so a remote store can load what they need in a few
    /// round trips instead of several per action. Stores that read locally ignore it.
    /// </summary>
    ValueTask PrefetchAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken = default);

    /// <summary>The action with this id the stream ever accepted (compacted or not, this session included), or null.</summary>
    AcceptedAction? FindAccepted(Guid actionId);

    /// <summary>The last refusal of an action with this id (this session included), or null.</summary>
    RefusedAction? FindRefused(Guid actionId);

    /// <summary>Records that an action's body was refused, so a retry of that body gets the same answer.</summary>
    void Refuse(Guid actionId, RefusedAction refusal);

    /// <summary>Appends an entry; its index must be <see cref="Head"/> + 1.</summary>
    /// <remarks>The entry's body and <paramref name="bodyHash"/> are kept as given, not copied (a push's envelopes are immutable): the caller must not change them.</remarks>
    void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash);

    /// <summary>Makes the session's appends and state changes durable. Disposing without it rolls them back.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
