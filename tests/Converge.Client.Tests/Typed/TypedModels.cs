using Converge.Client.Typed;

namespace Converge.Client.Tests.Typed;

public enum Mood
{
    Calm,
    Cheerful,
}

[ConvergeCollection("contacts")]
public sealed record Contact
{
    public Guid Id { get; init; }

    [UniqueIdentity]
    public string? Email { get; init; }

    public string? Name { get; init; }

    public int Age { get; init; }

    public double Score { get; init; }

    public decimal Balance { get; init; }

    public bool Active { get; init; }

    public DateTimeOffset Born { get; init; }

    public Guid Token { get; init; }

    public Mood Mood { get; init; }

    [Ref("contacts")]
    public Guid? Friend { get; init; }

    public HashSet<string> Tags { get; init; } = [];

    [Counter]
    public long Visits { get; init; }

    public List<int>? Extra { get; init; }
}

[ConvergeCollection("diary", Owned = true)]
public sealed record DiaryEntry
{
    public Guid Id { get; init; }

    public string? Text { get; init; }
}
