using System.Collections.Immutable;

namespace Converge.Client.Tests.Query;

/// <summary>The records of one case: writes by two replicas, a sync after step <see cref="SyncAt"/>, and the queried replica's writes after it left pending.</summary>
/// <param name="Ids">The record slots' ids.</param>
/// <param name="Steps">The writes, in order.</param>
/// <param name="SyncAt">How many steps run before the two replicas sync (then the rest stay unsynced); -1 for no sync at all.</param>
public sealed record SampleScript(ImmutableArray<Guid> Ids, ImmutableArray<SampleStep> Steps, int SyncAt)
{
    public override string ToString() =>
        $"sync after {SyncAt}, ids [{string.Join(", ", Ids)}], steps [{string.Join("; ", Steps)}]";
}
