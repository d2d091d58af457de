using Converge.Client.Typed;

namespace TrimmedApp;

[ConvergeCollection("note")]
public sealed class Note
{
    public Guid Id { get; set; }

    public string? Text { get; set; }

    [Counter]
    public long Stars { get; set; }

    public NoteKind Kind { get; set; }

    public HashSet<string> Tags { get; set; } = [];
}
