using System.Text.Json;
using Converge.Core.Actions;

namespace Converge.Core.Protocol;

/// <summary>Which members each kind of action needs and which it may not carry.</summary>
internal static class ActionShape
{
    [Flags]
    private enum Member
    {
        None = 0,
        Collection = 1,
        Record = 2,
        Fields = 4,
        Field = 8,
        Value = 16,
        Delta = 32,
        OnConflict = 64,
        Collections = 128,
    }

    /// <summary>Describes what is wrong with the members of an action of <paramref name="kind"/>, or null when nothing is.</summary>
    public static string? Check(ActionWire wire, ActionKind kind)
    {
        var (required, optional) = kind switch
        {
            ActionKind.Create => (Member.Collection | Member.Record | Member.Fields, Member.OnConflict),
            ActionKind.Update => (Member.Collection | Member.Record | Member.Fields, Member.None),
            ActionKind.Delete => (Member.Collection | Member.Record, Member.None),
            ActionKind.Add or ActionKind.Remove => (Member.Collection | Member.Record | Member.Field | Member.Value, Member.None),
            ActionKind.Increment => (Member.Collection | Member.Record | Member.Field | Member.Delta, Member.None),
            _ => (Member.Collections, Member.None),
        };

        var present = Present(wire);
        var missing = required & ~present;
        if (missing != Member.None)
        {
            return $"needs {Names(missing)}";
        }

        var extra = present & ~(required | optional);
        if (extra != Member.None)
        {
            return $"may not carry {Names(extra)}";
        }

        if (kind == ActionKind.Update && wire.Fields!.Count == 0)
        {
            return "needs at least one field in 'fields'";
        }

        if (kind is ActionKind.Add or ActionKind.Remove && wire.Value!.Value.ValueKind == JsonValueKind.Null)
        {
            return "needs a 'value' that is not null";
        }

        if (wire.Field is not null && !Schema.SchemaRules.IsValidName(wire.Field))
        {
            return $"needs a field name in 'field'; got '{wire.Field}'";
        }

        return null;
    }

    private static Member Present(ActionWire wire)
    {
        var present = Member.None;
        present |= wire.Collection is not null ? Member.Collection : Member.None;
        present |= wire.Record is not null ? Member.Record : Member.None;
        present |= wire.Fields is not null ? Member.Fields : Member.None;
        present |= wire.Field is not null ? Member.Field : Member.None;
        present |= wire.Value is { ValueKind: not JsonValueKind.Undefined } ? Member.Value : Member.None;
        present |= wire.Delta is { ValueKind: not JsonValueKind.Undefined } ? Member.Delta : Member.None;
        present |= wire.OnConflict is not null ? Member.OnConflict : Member.None;
        present |= wire.Collections is not null ? Member.Collections : Member.None;
        return present;
    }

    private static string Names(Member members)
    {
        var names = new List<string>();
        foreach (var member in Enum.GetValues<Member>())
        {
            if (member != Member.None && members.HasFlag(member))
            {
                names.Add($"'{char.ToLowerInvariant(member.ToString()[0])}{member.ToString()[1..]}'");
            }
        }

        return string.Join(", ", names);
    }
}
