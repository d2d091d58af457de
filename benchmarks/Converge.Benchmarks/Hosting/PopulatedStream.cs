namespace Converge.Benchmarks.Hosting;

/// <summary>A stream of the shared server holding a schema and one create per record, and a token for it.</summary>
/// <param name="Name">The stream.</param>
/// <param name="Token">A bearer token for it.</param>
/// <param name="Records">The ids of its records, in the order created.</param>
internal sealed record PopulatedStream(string Name, string Token, IReadOnlyList<Guid> Records)
{
    /// <summary>The stream's head: the schema action and one create per record.</summary>
    public long Head => Records.Count + 1;
}
