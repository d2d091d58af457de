using Converge.Core.Merge;
using Converge.Core.State;
using Converge.Testing.State;

namespace Converge.Core.Tests.State;

/// <summary>The record-state contract, against the state held in memory.</summary>
public sealed class InMemoryRecordStateContractTests : RecordStateContract
{
    internal override Task<IRecordState> CreateStateAsync() => Task.FromResult<IRecordState>(new InMemoryRecordState());
}
