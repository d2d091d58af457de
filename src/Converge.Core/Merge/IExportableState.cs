using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>A state that can list everything it holds, in canonical order, for exports and snapshots.</summary>
internal interface IExportableState
{
    /// <summary>The stream's schema.</summary>
    StreamSchema GetSchema();

    /// <summary>Every record (tombstones too), ordered by collection then by id text, both ordinal, with its sets materialized.</summary>
    IEnumerable<RecordData> ReadRecords();

    /// <summary>Every alias and its canonical id, ordered by collection then by alias id text, both ordinal.</summary>
    IEnumerable<KeyValuePair<RecordKey, Guid>> ReadAliases();
}
