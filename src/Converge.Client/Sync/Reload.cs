using Converge.Client.Transport;

namespace Converge.Client.Sync;

/// <summary>Why a step reloads, and the push batch size it may use to push what was sent first.</summary>
/// <param name="Status">The pull's answer: <c>snapshot_required</c> or <c>cursor_ahead</c>.</param>
/// <param name="PushBatch">The most actions one push sends.</param>
internal sealed record Reload(PullStatus Status, int PushBatch);
