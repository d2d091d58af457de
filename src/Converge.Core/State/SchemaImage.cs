using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Core.State;

/// <summary>The schema as it was.</summary>
internal sealed record SchemaImage(StreamSchema Schema) : JournalEntry
{
    /// <inheritdoc />
    public override void Restore(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetSchema(Schema);
    }
}
