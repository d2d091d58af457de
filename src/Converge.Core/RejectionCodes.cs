namespace Converge.Core;

/// <summary>The stable codes of every rejection Converge reports. Codes never change meaning once published.</summary>
internal static class RejectionCodes
{
    /// <summary>The action's shape is wrong: a member its kind needs is missing, or one it may not carry is present.</summary>
    public const string InvalidAction = "invalid_action";

    /// <summary>An action or record id is not a UUIDv7 (actions) or a UUID (records).</summary>
    public const string InvalidId = "invalid_id";

    /// <summary>The <c>hlc</c> member is not a hybrid timestamp in the text form.</summary>
    public const string InvalidHlc = "invalid_hlc";

    /// <summary>A client tried to set a member only the server sets (<c>index</c>, <c>clientId</c>, <c>principal</c>).</summary>
    public const string ServerOwnedMember = "server_owned_member";

    /// <summary>A schema action is malformed: a bad name, type, or combination of attributes.</summary>
    public const string InvalidSchema = "invalid_schema";

    /// <summary>A field is named <c>id</c> in some case (<c>Id</c>, <c>ID</c>): the name is the record's own id.</summary>
    public const string ReservedField = "reserved_field";

    /// <summary>A schema action would change an existing collection or field.</summary>
    public const string SchemaConflict = "schema_conflict";

    /// <summary>The collection is not in the stream's schema.</summary>
    public const string UnknownCollection = "unknown_collection";

    /// <summary>The field is not in the collection's schema and the collection is not open.</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>A value does not have the field's type or cardinality.</summary>
    public const string TypeMismatch = "type_mismatch";

    /// <summary>The action names a record that does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>The write would give two live records the same <c>unique: value</c> (or identity, through an update).</summary>
    public const string UniqueViolation = "unique_violation";

    /// <summary>A create's identity values match two different records.</summary>
    public const string IdentityConflict = "identity_conflict";

    /// <summary>The record is in an owned collection and belongs to another principal.</summary>
    public const string NotOwner = "not_owner";

    /// <summary>A schema action would declare more collections, or more fields in one collection, than the server allows.</summary>
    public const string SchemaTooLarge = "schema_too_large";

    /// <summary>A write would give a set field more distinct elements than the server allows.</summary>
    public const string SetTooLarge = "set_too_large";

    /// <summary>A write would make a record's stored values larger than the server allows.</summary>
    public const string RecordTooLarge = "record_too_large";

    /// <summary>A counter would leave the range of its type.</summary>
    public const string CounterOverflow = "counter_overflow";

    /// <summary>A number is outside the range its place allows: a delta beyond a decimal, or beyond 64 bits for a long counter.</summary>
    public const string OutOfRange = "out_of_range";

    /// <summary>The action's clock is further ahead of the server's than the allowed drift.</summary>
    public const string ClockDrift = "clock_drift";

    /// <summary>An action id the log already holds arrived with a different body.</summary>
    public const string IdReused = "id_reused";

    /// <summary>The action depends on an action that was rejected (for example an update of a record whose create was rejected).</summary>
    public const string DependencyRejected = "dependency_rejected";
}
