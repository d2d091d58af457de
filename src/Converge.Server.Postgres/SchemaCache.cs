using System.Collections.Concurrent;
using Converge.Core.Schema;

namespace Converge.Server.Postgres;

/// <summary>
/// The schemas this node read, by stream, with the version each was read at (<c>cv_streams.schema_version</c>): a push
/// reads the version under the stream's lock and takes the schema from here when it matches, so the schema is not read
/// and parsed again for every push. Bounded: emptied when it holds too many streams.
/// </summary>
internal sealed class SchemaCache
{
    private const int MaxStreams = 4096;
    private readonly ConcurrentDictionary<string, (long Version, StreamSchema Schema)> _schemas = new(StringComparer.Ordinal);

    /// <summary>The schema of the stream at this version, or null when this node does not hold it.</summary>
    public StreamSchema? Find(string stream, long version) =>
        _schemas.TryGetValue(stream, out var known) && known.Version == version ? known.Schema : null;

    /// <summary>Keeps the schema a committed transaction left at this version.</summary>
    public void Keep(string stream, long version, StreamSchema schema)
    {
        if (_schemas.Count >= MaxStreams)
        {
            _schemas.Clear();
        }

        _schemas[stream] = (version, schema);
    }
}
