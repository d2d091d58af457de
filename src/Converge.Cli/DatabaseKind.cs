namespace Converge.Cli;

/// <summary>What a path given as <c>--replica</c> or <c>--db</c> holds, before anything opens it for writing.</summary>
internal enum DatabaseKind
{
    /// <summary>Nothing there.</summary>
    Missing,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A file that is not a SQLite database.</summary>
    NotSqlite,

    /// <summary>A SQLite database with no tables (or an empty file).</summary>
    Empty,

    /// <summary>A Converge replica.</summary>
    Replica,

    /// <summary>A Converge server database.</summary>
    Server,

    /// <summary>Both a replica's and a server's tables: what opening one as the other did before this check; used as either, as before.</summary>
    Mixed,

    /// <summary>A SQLite database of something else.</summary>
    Other,
}
