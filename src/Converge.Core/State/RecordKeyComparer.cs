using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>Orders record keys canonically: by collection, then by id text, both ordinal.</summary>
internal sealed class RecordKeyComparer : IComparer<RecordKey>
{
    /// <summary>The one instance.</summary>
    public static RecordKeyComparer Instance { get; } = new();

    private RecordKeyComparer()
    {
    }

    /// <inheritdoc />
    public int Compare(RecordKey x, RecordKey y)
    {
        var byCollection = string.CompareOrdinal(x.Collection, y.Collection);
        return byCollection != 0 ? byCollection : string.CompareOrdinal(x.Id.ToString("D"), y.Id.ToString("D"));
    }
}
