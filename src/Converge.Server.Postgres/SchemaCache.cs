using System.Collections.Concurrent;
using Converge.Core.Schema;

namespace Converge.Server.Postgres;

/// <summary>
/// The schemas this node read, by stream, with the SHA-256 of the body each was read from (<c>cv_streams.schema_hash</c>,
/// written with every body): a push reads the hash under the stream's lock and takes the schema from here when it
/// matches, so the schema is not read and parsed again for every push. Keyed by the body's hash, not by a counter, so
/// no other schema can ever match: after a restore, a counter could come round again to a number this node holds
/// for another schema. Bounded: emptied when it holds too many streams.
/// </summary>
internal sealed class SchemaCache
{
    private const int MaxStreams = 4096;
    private readonly ConcurrentDictionary<string, (byte[] Hash, StreamSchema Schema)> _schemas = new(StringComparer.Ordinal);

    /// <summary>The schema of the stream whose body has this hash, or null when this node does not hold it (or the stream has no schema).</summary>
    public StreamSchema? Find(string stream, byte[]? hash) =>
        hash is not null && _schemas.TryGetValue(stream, out var known) && known.Hash.AsSpan().SequenceEqual(hash) ? known.Schema : null;

    /// <summary>Keeps the schema a committed transaction left, under the hash of its body (nothing without one).</summary>
    public void Keep(string stream, byte[]? hash, StreamSchema schema)
    {
        if (hash is null)
        {
            return;
        }

        if (_schemas.Count >= MaxStreams)
        {
            _schemas.Clear();
        }

        _schemas[stream] = (hash, schema);
    }
}
