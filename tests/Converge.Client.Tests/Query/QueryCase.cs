using System.Collections.Immutable;

namespace Converge.Client.Tests.Query;

/// <summary>One case of the query property: records made by a script, and the queries run over them.</summary>
public sealed record QueryCase(SampleScript Script, ImmutableArray<SampleQuery> Queries)
{
    public override string ToString() => $"{Script}\n  queries:\n    {string.Join("\n    ", Queries)}";
}
