namespace Converge.Sqlite;

/// <summary>What one field's entry in a record's merge metadata (<see cref="RecordMeta"/>) holds, and where its value is.</summary>
internal enum MetaTag : byte
{
    /// <summary>A register whose value is its column's (SQL NULL for a JSON null).</summary>
    RegisterInColumn = 0,

    /// <summary>A register whose exact JSON text is in the metadata (the column cannot reproduce it, or there is no row).</summary>
    RegisterExact = 1,

    /// <summary>A register of an open collection's undeclared field: its value is in <c>"$extra"</c> (absent for a JSON null).</summary>
    RegisterInExtra = 2,

    /// <summary>A counter whose total is its column's.</summary>
    CounterInColumn = 3,

    /// <summary>A counter whose total's exact text is in the metadata.</summary>
    CounterExact = 4,

    /// <summary>A set's header: the stamp of its latest replacement and how many elements are present.</summary>
    SetHeader = 5,
}
