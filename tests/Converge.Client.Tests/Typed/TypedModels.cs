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

public enum Tier
{
    Bronze,
    Silver,
    Gold,
}

/// <summary>A mutable class, as MVVM apps bind and change in place.</summary>
[ConvergeCollection("accounts")]
public sealed class Account
{
    public Guid Id { get; set; }

    public string? Name { get; set; }

    public Tier Tier { get; set; }

    [Counter]
    public long Points { get; set; }

    public HashSet<string> Tags { get; set; } = [];
}

[ConvergeCollection("members")]
public sealed record Member
{
    public Guid Id { get; init; }

    [UniqueIdentity]
    public string? Email { get; init; }

    public string? Name { get; init; }

    public int Age { get; init; }

    public string? Phone { get; init; }

    public bool Active { get; init; } = true;

    public Tier Tier { get; init; }

    [Counter]
    public long Logins { get; init; }
}

[ConvergeCollection("labels", Open = true)]
public sealed record Label
{
    public Guid Id { get; init; }

    public string? Title { get; init; }
}

/// <summary>A positional record: no parameterless constructor, so an insert's baseline is each type's default.</summary>
[ConvergeCollection("points")]
public sealed record Point(Guid Id, int X, int Y, string? Name);

public sealed record WithIdTwin
{
    public Guid Id { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("ID")]
    public string? Code { get; init; }
}

public sealed record WithCaseTwins
{
    public Guid Id { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("title")]
    public string? Title { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("Title")]
    public string? OtherTitle { get; init; }
}
