using System.Net.Sockets;
using System.Text;

namespace Converge.Server.Tests;

/// <summary>HTTP/1.1 by hand over a TCP socket, for requests no HTTP client sends: broken framing, stalls, odd targets.</summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(Uri server)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        return new RawHttp(tcp);
    }

    /// <summary>One request's head (request line and headers, each line ended by CRLF, then an empty line).</summary>
    public static string Head(string method, string target, Uri server, params string[] headers) =>
        $"{method} {target} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Ends the sending half: the server sees the end of the request's bytes.</summary>
    public void EndSending() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Reads the answer until the server closes the connection or the body is complete; null if it closed without one.</summary>
    public async Task<Answer?> ReadAnswerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
                if (Answer.TryParse(received.ToArray(), complete: false) is { } whole)
                {
                    return whole;
                }
            }
        }
        catch (IOException)
        {
            // Reset by the server: whatever arrived before is the answer.
        }
        catch (OperationCanceledException)
        {
            // Out of patience (or an answer to HEAD, whose Content-Length announces a body that never comes).
        }

        return Answer.TryParse(received.ToArray(), complete: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    /// <summary>A parsed HTTP answer.</summary>
    internal sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? ContentType => Headers.GetValueOrDefault("content-type");

        /// <summary>The answer when <paramref name="bytes"/> hold all of it (or all there will be, when <paramref name="complete"/>).</summary>
        public static Answer? TryParse(byte[] bytes, bool complete)
        {
            var text = Encoding.UTF8.GetString(bytes);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var lines = text[..end].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
            var body = text[(end + 4)..];
            if (headers.TryGetValue("content-length", out var length))
            {
                var expected = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
                return Encoding.UTF8.GetByteCount(body) >= expected ? new Answer(status, headers, body) : complete ? new Answer(status, headers, body) : null;
            }

            if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal) ? new Answer(status, headers, Unchunk(body)) : complete ? new Answer(status, headers, Unchunk(body)) : null;
            }

            return complete ? new Answer(status, headers, body) : null;
        }

        private static string Unchunk(string body)
        {
            var text = new StringBuilder();
            var at = 0;
            while (at < body.Length)
            {
                var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (line < 0 || !int.TryParse(body[at..line], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size == 0)
                {
                    break;
                }

                text.Append(body.AsSpan(line + 2, Math.Min(size, body.Length - line - 2)));
                at = line + 2 + size + 2;
            }

            return text.ToString();
        }
    }
}
