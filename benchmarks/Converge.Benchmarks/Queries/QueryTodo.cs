using Converge.Client.Typed;

namespace Converge.Benchmarks.Queries;

/// <summary>The record of Q1-Q5: a realistic app record with one field of each common type, an index and a unique field.</summary>
[ConvergeCollection("todos")]
internal sealed record QueryTodo
{
    public Guid Id { get; init; }

    public string? Title { get; init; }

    public bool Done { get; init; }

    [Indexed]
    public DateTimeOffset Due { get; init; }

    public long Priority { get; init; }

    public decimal Cost { get; init; }

    [Ref("people")]
    public Guid Owner { get; init; }

    [UniqueValue]
    public string? Code { get; init; }
}
