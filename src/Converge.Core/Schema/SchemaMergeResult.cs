namespace Converge.Core.Schema;

/// <summary>The outcome of merging a schema addition: the resulting schema, or why it was refused.</summary>
internal sealed record SchemaMergeResult
{
    private SchemaMergeResult(StreamSchema? schema, bool isChange, Rejection? rejection)
    {
        Schema = schema;
        IsChange = isChange;
        Rejection = rejection;
    }

    /// <summary>The merged schema; null when rejected.</summary>
    public StreamSchema? Schema { get; }

    /// <summary>True when the addition declared something new.</summary>
    public bool IsChange { get; }

    /// <summary>Why the addition was refused; null when it merged.</summary>
    public Rejection? Rejection { get; }

    internal static SchemaMergeResult Changed(StreamSchema schema) => new(schema, true, null);

    internal static SchemaMergeResult Unchanged(StreamSchema schema) => new(schema, false, null);

    internal static SchemaMergeResult Rejected(Rejection rejection) => new(null, false, rejection);
}
