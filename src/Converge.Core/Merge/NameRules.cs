using Converge.Core.Actions;
using Converge.Core.Schema;

namespace Converge.Core.Merge;

/// <summary>
/// The naming rules a new action must meet (a push, a local write), beyond those every logged action met when it
/// was written: no field named <c>id</c> in any case, and no two names that differ only by case (a reader that binds
/// names without case, a typed client or SQL, would take one for the other).
/// </summary>
/// <remarks>
/// Only new actions: a log written before these rules may hold such names, and every replica must still apply it as
/// it was accepted (see <see cref="ApplyContext.IsNew"/>). Each check is one pass over the names, with hashed lookups.
/// </remarks>
internal static class NameRules
{
    public static Rejection? Check(IRecordState state, ConvergeAction action) => action switch
    {
        SchemaAction schema => CheckSchema(state.GetSchema(), schema.Schema),
        CreateAction create => CheckFields(state, create.Collection, create.Fields.Keys),
        UpdateAction update => CheckFields(state, update.Collection, update.Fields.Keys),
        _ => null,
    };

    private static Rejection? CheckFields(IRecordState state, string collection, IEnumerable<string> names)
    {
        var declared = state.GetSchema().FindCollection(collection);
        Dictionary<string, string>? folded = null;
        foreach (var name in names)
        {
            if (SchemaRules.IsReservedFieldName(name))
            {
                return Reserved(name);
            }

            if (declared is { Open: true } && !declared.Fields.ContainsKey(name)
                && (folded ??= Fold(declared.Fields.Keys)).TryGetValue(name, out var twin))
            {
                return new Rejection(RejectionCodes.UnknownField, $"'{collection}' declares '{twin}', not '{name}': field names are case-sensitive, and an undeclared one may not differ from a declared one only by case.");
            }
        }

        return null;
    }

    private static Rejection? CheckSchema(StreamSchema current, StreamSchema addition)
    {
        var collections = Fold(current.Collections.Keys);
        var added = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, collection) in addition.Collections)
        {
            if (!added.TryAdd(name, name))
            {
                return new Rejection(RejectionCodes.InvalidSchema, $"Collections '{added[name]}' and '{name}' differ only by case; names must differ in more than case.");
            }

            if (collections.TryGetValue(name, out var existing) && existing != name)
            {
                return new Rejection(RejectionCodes.SchemaConflict, $"Collection '{name}' differs from the existing '{existing}' only by case; names must differ in more than case.");
            }

            var fields = current.FindCollection(name) is { } known ? Fold(known.Fields.Keys) : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var addedFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in collection.Fields.Keys)
            {
                if (SchemaRules.IsReservedFieldName(field))
                {
                    return Reserved($"{name}.{field}");
                }

                if (!addedFields.TryAdd(field, field))
                {
                    return new Rejection(RejectionCodes.InvalidSchema, $"Fields '{name}.{addedFields[field]}' and '{name}.{field}' differ only by case; names must differ in more than case.");
                }

                if (fields.TryGetValue(field, out var twin) && twin != field)
                {
                    return new Rejection(RejectionCodes.SchemaConflict, $"Field '{name}.{field}' differs from the existing '{name}.{twin}' only by case; names must differ in more than case.");
                }
            }
        }

        return null;
    }

    /// <summary>The names by their case-folded form (the first of any two that fold alike).</summary>
    private static Dictionary<string, string> Fold(IEnumerable<string> names)
    {
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            folded.TryAdd(name, name);
        }

        return folded;
    }

    private static Rejection Reserved(string name) =>
        new(RejectionCodes.ReservedField, $"'{name}' cannot be a field name: 'id' is the record's own id, in any case.");
}
