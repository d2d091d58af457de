namespace Converge.Core.Merge;

/// <summary>How written values merge into a record's fields.</summary>
internal enum MergeMode
{
    /// <summary>An update: registers last-writer-wins, sets replaced (by stamp).</summary>
    Update,

    /// <summary>A create (new, or merging into an existing or unified record): registers last-writer-wins, set elements added.</summary>
    Create,

    /// <summary>A create with <c>onConflict: overwrite</c>: registers last-writer-wins, sets replaced, unnamed fields cleared where older.</summary>
    Overwrite,
}
