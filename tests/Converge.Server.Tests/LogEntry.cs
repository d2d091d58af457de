using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests;

/// <summary>One captured log entry: its level, event id, text, exception and named values.</summary>
internal sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Values);
