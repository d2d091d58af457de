using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests;

/// <summary>Keeps every log entry the server writes, for tests of what is logged and at which level.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>The entries at Error or above, or with an exception attached (a stack trace in the log).</summary>
    public IReadOnlyList<Entry> Faults => [.. _entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, EventId Id, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{Id.Id}]: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name)}";
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
