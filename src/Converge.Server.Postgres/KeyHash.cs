using System.Security.Cryptography;
using System.Text;

namespace Converge.Server.Postgres;

/// <summary>
/// The SHA-256 of a key's UTF-8 bytes, which indexes stand on instead of the key: set element keys and unique values
/// may be far longer than the largest row a btree index takes (about 2.7 KB). SQL computes the same hash as
/// <c>sha256(convert_to(key, 'UTF8'))</c> (migration 0006).
/// </summary>
internal static class KeyHash
{
    /// <summary>The hash of one key.</summary>
    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The hashes of keys, in their order.</summary>
    public static byte[][] Of(IEnumerable<string> keys) => keys.Select(Of).ToArray();
}
