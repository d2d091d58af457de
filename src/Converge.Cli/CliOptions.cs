using System.CommandLine;

namespace Converge.Cli;

/// <summary>Options several commands share.</summary>
internal static class CliOptions
{
    public static Option<string> Replica() => new("--replica") { Description = "The local replica's SQLite file.", Required = true };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON (the default when stdout is not a terminal)." };

    public static Argument<string> Collection() => new("COLLECTION") { Description = "The collection." };

    public static Argument<string> Id() => new("ID") { Description = "The record id (a UUID)." };

    public static Argument<string> JsonArgument(string description) => new("JSON") { Description = description };
}
