using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests;

/// <summary>One captured log entry: its category, level, event id, text, exception and named values.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Values)
{
    public override string ToString() => $"{Level} {Category}[{EventId}]: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name)}";
}
