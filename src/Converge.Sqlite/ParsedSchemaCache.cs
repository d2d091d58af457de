using Converge.Core.Export;
using Converge.Core.Schema;

namespace Converge.Sqlite;

/// <summary>
/// The last stream schema parsed from <c>cv_schema</c>, with the collection tables described from it, keyed by the
/// exact bytes stored: a query reads the bytes (one small row) and skips parsing and describing when they match, so
/// the cache can never be stale. One entry: a replica has one stream; a server with many just parses as before.
/// </summary>
internal static class ParsedSchemaCache
{
    private static volatile Entry? _last;

    /// <summary>The schema of <paramref name="body"/> (as stored for <paramref name="stream"/>), parsed once per distinct body.</summary>
    public static Entry Get(string stream, byte[] body)
    {
        var last = _last;
        if (last is not null && last.Stream == stream && last.Body.AsSpan().SequenceEqual(body))
        {
            return last;
        }

        var entry = new Entry(stream, body, SchemaJson.Deserialize(body));
        _last = entry;
        return entry;
    }

    /// <summary>One parsed schema and the tables described from it (by collection and table name).</summary>
    internal sealed class Entry(string stream, byte[] body, StreamSchema schema)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Collection, string Name), CollectionTable> _tables = new();

        public string Stream { get; } = stream;

        public byte[] Body { get; } = body;

        public StreamSchema Schema { get; } = schema;

        /// <summary>The table of a declared collection, described once (the description follows from the schema alone).</summary>
        public CollectionTable? Table(string collection, string name) =>
            _tables.TryGetValue((collection, name), out var table) ? table
            : Schema.FindCollection(collection) is { } declared ? _tables.GetOrAdd((collection, name), CollectionTables.Describe(Stream, collection, name, declared))
            : null;
    }
}
