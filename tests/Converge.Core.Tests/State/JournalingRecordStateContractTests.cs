using Converge.Core.Merge;
using Converge.Core.State;
using Converge.Testing.State;

namespace Converge.Core.Tests.State;

/// <summary>The record-state contract, through the journaling wrapper (over memory), which must not change what is read.</summary>
public sealed class JournalingRecordStateContractTests : RecordStateContract
{
    private readonly Dictionary<IRecordState, InMemoryRecordState> _inner = [];

    /// <summary>The wrapper refuses materialized sets: it journals elements one by one (see JournalingRecordState.SetRecord).</summary>
    protected override bool TakesMaterializedSets => false;

    internal override Task<IRecordState> CreateStateAsync()
    {
        var inner = new InMemoryRecordState();
        var state = new JournalingRecordState(inner);
        _inner[state] = inner;
        return Task.FromResult<IRecordState>(state);
    }

    /// <summary>A new wrapper over the same state: what the first one wrote went through to it.</summary>
    internal override Task<IRecordState> ReopenAsync(IRecordState state) => Task.FromResult<IRecordState>(new JournalingRecordState(_inner[state]));
}
