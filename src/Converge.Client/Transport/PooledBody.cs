using System.Buffers;

namespace Converge.Client.Transport;

/// <summary>Reads an answer's body into a pooled buffer, so a page of pulled actions costs no array of its own size.</summary>
internal static class PooledBody
{
    /// <summary>Reads <paramref name="stream"/> to its end and hands the bytes to <paramref name="read"/>; the buffer goes back to the pool after.</summary>
    public static async Task<T> ReadAsync<T>(Stream stream, long? length, Func<ReadOnlyMemory<byte>, T> read, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length is > 0 and < 1 << 30 ? (int)length + 1 : 64 * 1024);
        try
        {
            var filled = 0;
            int count;
            while ((count = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += count;
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return read(buffer.AsMemory(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
