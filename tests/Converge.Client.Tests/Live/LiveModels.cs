using Converge.Client.Typed;

namespace Converge.Client.Tests.Live;

[ConvergeCollection("todos")]
public sealed record LiveTodo
{
    public Guid Id { get; init; }

    public string? Title { get; init; }

    public bool Done { get; init; }
}

[ConvergeCollection("labels")]
public sealed record LiveLabel
{
    public Guid Id { get; init; }

    public string? Name { get; init; }
}
