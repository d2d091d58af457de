using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Schema;

namespace Converge.Core.Protocol;

/// <summary>Turns wire actions into validated actions and back (docs/protocol.md, section 3).</summary>
internal static class ActionCodec
{
    /// <summary>
    /// Reads an action a client sent. Checks its shape: a UUIDv7 id, an HLC in the text form, a known kind,
    /// exactly the members that kind needs, and none of the members only the server sets.
    /// </summary>
    public static Decoded<ConvergeAction> Decode(ActionWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        if (wire.Index is not null || wire.ClientId is not null || wire.Principal is not null)
        {
            return Fail(RejectionCodes.ServerOwnedMember, "'index', 'clientId' and 'principal' are set by the server; an action pushed by a client may not carry them.");
        }

        return DecodeBody(wire);
    }

    /// <summary>Reads an action as the log holds it, with its index, client and principal.</summary>
    public static Decoded<LoggedAction> DecodeLogged(ActionWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        if (wire.Index is not > 0 || !Guid.TryParseExact(wire.ClientId, "D", out var clientId) || string.IsNullOrEmpty(wire.Principal))
        {
            return Decoded<LoggedAction>.Fail(RejectionCodes.InvalidAction, "A logged action needs a positive 'index', a 'clientId' UUID and a 'principal'.");
        }

        var body = DecodeBody(wire);
        return body.IsOk
            ? Decoded<LoggedAction>.Ok(new LoggedAction(wire.Index.Value, clientId, wire.Principal, body.Value))
            : Decoded<LoggedAction>.Fail(body.Error);
    }

    /// <summary>Writes an action in its wire form.</summary>
    public static ActionWire Encode(ConvergeAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var record = action as RecordAction;
        var create = action as CreateAction;
        var element = action as SetElementAction;
        var increment = action as IncrementAction;
        var fields = create?.Fields ?? (action as UpdateAction)?.Fields;
        return new ActionWire
        {
            Id = action.Id.ToString("D"),
            Hlc = action.Hlc.ToString(),
            Kind = ActionKinds.Name(action.Kind),
            Collection = record?.Collection,
            Record = record?.Record.ToString("D"),
            Fields = fields is null ? null : new Dictionary<string, JsonElement>(fields, StringComparer.Ordinal),
            OnConflict = create is null || create.OnConflict == OnConflict.Merge ? null : ActionKinds.Name(create.OnConflict),
            Field = element?.Field ?? increment?.Field,
            Value = element?.Value,
            Delta = increment is null ? null : JsonSerializer.SerializeToElement(increment.Delta, ConvergeJsonContext.Default.Decimal),
            Collections = action is SchemaAction schema ? SchemaCodec.Encode(schema.Schema) : null,
        };
    }

    /// <summary>Writes a logged action in its wire form.</summary>
    public static ActionWire Encode(LoggedAction logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        return Encode(logged.Action) with
        {
            Index = logged.Index,
            ClientId = logged.ClientId.ToString("D"),
            Principal = logged.Principal,
        };
    }

    /// <summary>True for a UUID of version 7 and the RFC 9562 variant.</summary>
    public static bool IsUuidV7(Guid id) => id.Version == 7 && (id.Variant & 0xC) == 0x8;

    private static Decoded<ConvergeAction> DecodeBody(ActionWire wire)
    {
        if (!Guid.TryParseExact(wire.Id, "D", out var id) || !IsUuidV7(id))
        {
            return Fail(RejectionCodes.InvalidId, $"'id' must be a UUIDv7 in the form xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx; got {Quote(wire.Id)}.");
        }

        if (!HybridTimestamp.TryParse(wire.Hlc, CultureInfo.InvariantCulture, out var hlc) || !hlc.IsValid)
        {
            return Fail(RejectionCodes.InvalidHlc, $"'hlc' must be a hybrid timestamp such as 2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5; got {Quote(wire.Hlc)}.");
        }

        if (!ActionKinds.TryParse(wire.Kind, out var kind))
        {
            return Fail(RejectionCodes.InvalidAction, $"'kind' must be one of create, update, delete, add, remove, increment, schema; got {Quote(wire.Kind)}.");
        }

        var kindName = ActionKinds.Name(kind);
        if (ActionShape.Check(wire, kind) is { } shapeError)
        {
            return Fail(RejectionCodes.InvalidAction, $"{(kindName[0] is 'a' or 'i' or 'u' ? "An" : "A")} {kindName} action {shapeError}.");
        }

        if (NotText(wire) is { } where)
        {
            return Fail(RejectionCodes.InvalidAction, $"{where} holds a string that escapes a lone surrogate (such as \\ud800 without its pair): JSON strings must be Unicode text.");
        }

        if (kind == ActionKind.Schema)
        {
            var schema = SchemaCodec.Decode(wire.Collections);
            return schema.IsOk
                ? Decoded<ConvergeAction>.Ok(new SchemaAction { Id = id, Hlc = hlc, Schema = schema.Value })
                : Fail(schema.Error.Code, schema.Error.Message);
        }

        if (wire.Collection is null || !SchemaRules.IsValidName(wire.Collection))
        {
            return Fail(RejectionCodes.InvalidAction, $"'collection' must be a collection name; got {Quote(wire.Collection)}.");
        }

        if (!Guid.TryParseExact(wire.Record, "D", out var record) || record == Guid.Empty)
        {
            return Fail(RejectionCodes.InvalidId, $"'record' must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx; got {Quote(wire.Record)}.");
        }

        return kind switch
        {
            ActionKind.Create => DecodeCreate(wire, id, hlc, record),
            ActionKind.Update => FieldsOf(wire) is { } fields
                ? Decoded<ConvergeAction>.Ok(new UpdateAction { Id = id, Hlc = hlc, Collection = wire.Collection, Record = record, Fields = fields })
                : BadFieldNames(wire),
            ActionKind.Delete => Decoded<ConvergeAction>.Ok(new DeleteAction { Id = id, Hlc = hlc, Collection = wire.Collection, Record = record }),
            ActionKind.Add => Decoded<ConvergeAction>.Ok(new AddAction { Id = id, Hlc = hlc, Collection = wire.Collection, Record = record, Field = wire.Field!, Value = wire.Value!.Value }),
            ActionKind.Remove => Decoded<ConvergeAction>.Ok(new RemoveAction { Id = id, Hlc = hlc, Collection = wire.Collection, Record = record, Field = wire.Field!, Value = wire.Value!.Value }),
            _ => DecodeIncrement(wire, id, hlc, record),
        };
    }

    private static Decoded<ConvergeAction> DecodeCreate(ActionWire wire, Guid id, HybridTimestamp hlc, Guid record)
    {
        var onConflict = OnConflict.Merge;
        if (wire.OnConflict is not null && !ActionKinds.TryParseOnConflict(wire.OnConflict, out onConflict))
        {
            return Fail(RejectionCodes.InvalidAction, $"'onConflict' must be merge, ignore or overwrite; got {Quote(wire.OnConflict)}.");
        }

        return FieldsOf(wire) is { } fields
            ? Decoded<ConvergeAction>.Ok(new CreateAction { Id = id, Hlc = hlc, Collection = wire.Collection!, Record = record, Fields = fields, OnConflict = onConflict })
            : BadFieldNames(wire);
    }

    private static Decoded<ConvergeAction> DecodeIncrement(ActionWire wire, Guid id, HybridTimestamp hlc, Guid record)
    {
        var delta = wire.Delta!.Value;
        if (delta.ValueKind != JsonValueKind.Number)
        {
            return Fail(RejectionCodes.InvalidAction, $"'delta' must be a number; got {Quote(delta.GetRawText())}.");
        }

        if (!delta.TryGetDecimal(out var amount))
        {
            return Fail(RejectionCodes.OutOfRange, $"'delta' must be within the range of a decimal (at most 79228162514264337593543950335 either way); got {Quote(delta.GetRawText())}.");
        }

        return Decoded<ConvergeAction>.Ok(new IncrementAction { Id = id, Hlc = hlc, Collection = wire.Collection!, Record = record, Field = wire.Field!, Delta = amount });
    }

    private static ImmutableSortedDictionary<string, JsonElement>? FieldsOf(ActionWire wire)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in wire.Fields!)
        {
            if (SchemaRules.CheckFieldName(name) is not null)
            {
                return null;
            }

            builder[name] = value;
        }

        return builder.ToImmutable();
    }

    private static Decoded<ConvergeAction> BadFieldNames(ActionWire wire) =>
        Decoded<ConvergeAction>.Fail(wire.Fields!.Keys.Select(SchemaRules.CheckFieldName).First(r => r is not null)!);

    /// <summary>Where the action's JSON values hold a string or name that is not Unicode text, or null when none does.</summary>
    private static string? NotText(ActionWire wire)
    {
        if (wire.Fields is { } fields)
        {
            foreach (var (name, value) in fields)
            {
                if (!JsonText.IsText(value))
                {
                    return $"'fields.{(SchemaRules.IsValidName(name) ? name : "…")}'";
                }
            }
        }

        return wire.Value is { } element && !JsonText.IsText(element) ? "'value'" : null;
    }

    private static Decoded<ConvergeAction> Fail(string code, string message) => Decoded<ConvergeAction>.Fail(code, message);

    private static string Quote(string? text) => text is null ? "nothing" : $"'{(text.Length > 80 ? text[..80] + "…" : text)}'";
}
