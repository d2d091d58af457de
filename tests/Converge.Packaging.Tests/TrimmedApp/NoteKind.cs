namespace TrimmedApp;

public enum NoteKind
{
    Plain,
    Idea,
}
