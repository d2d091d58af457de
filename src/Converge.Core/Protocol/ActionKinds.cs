using Converge.Core.Actions;

namespace Converge.Core.Protocol;

/// <summary>The wire names of action kinds and of <see cref="OnConflict"/>.</summary>
internal static class ActionKinds
{
    /// <summary>The wire name of a kind.</summary>
    public static string Name(ActionKind kind) => kind switch
    {
        ActionKind.Create => "create",
        ActionKind.Update => "update",
        ActionKind.Delete => "delete",
        ActionKind.Add => "add",
        ActionKind.Remove => "remove",
        ActionKind.Increment => "increment",
        ActionKind.Schema => "schema",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The wire name of an <see cref="OnConflict"/>.</summary>
    public static string Name(OnConflict onConflict) => onConflict switch
    {
        OnConflict.Ignore => "ignore",
        OnConflict.Overwrite => "overwrite",
        _ => "merge",
    };

    /// <summary>Reads a kind's wire name.</summary>
    public static bool TryParse(string? text, out ActionKind kind)
    {
        kind = text switch
        {
            "create" => ActionKind.Create,
            "update" => ActionKind.Update,
            "delete" => ActionKind.Delete,
            "add" => ActionKind.Add,
            "remove" => ActionKind.Remove,
            "increment" => ActionKind.Increment,
            "schema" => ActionKind.Schema,
            _ => (ActionKind)(-1),
        };
        return (int)kind >= 0;
    }

    /// <summary>Reads an <see cref="OnConflict"/>'s wire name.</summary>
    public static bool TryParseOnConflict(string? text, out OnConflict onConflict)
    {
        onConflict = text switch
        {
            "ignore" => OnConflict.Ignore,
            "overwrite" => OnConflict.Overwrite,
            _ => OnConflict.Merge,
        };
        return text is "merge" or "ignore" or "overwrite";
    }
}
