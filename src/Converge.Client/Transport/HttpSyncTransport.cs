using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>The wire protocol over HTTP and a WebSocket for watch.</summary>
/// <remarks>Thread-safe. Owns its <see cref="HttpClient"/> unless one is passed in.</remarks>
public sealed class HttpSyncTransport : ISyncTransport, IDisposable
{
    // The exchanges, as failures name them (TransportException.Operation).
    private const string Pull = "pull";
    private const string Push = "push";
    private const string Snapshot = "snapshot";
    private const string Watch = "watch";
    private const string Limits = "limits";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _stream;
    private readonly string _token;
    private readonly Guid _clientId;
    private readonly TimeProvider _time;
    private readonly Uri _server;

    /// <summary>Creates a transport for one stream of a server.</summary>
    public HttpSyncTransport(HttpSyncTransportOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _stream = options.Stream;
        _token = options.Token;
        _clientId = options.ClientId;
        _time = options.Time;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = options.Timeout };
        var server = _http.BaseAddress ??= options.Server;
        // Requests resolve against the base as a folder: a server mapped under a prefix ("https://host/sync") keeps it.
        _server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
    }

    /// <inheritdoc />
    public Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default) =>
        PullCoreAsync(after, limit, keepBytes: false, cancellationToken);

    /// <summary>Pulls with each action's bytes kept as the server sent them: the log stores those, never writes them again.</summary>
    Task<Exchange<PullOutcome>> ISyncTransport.PullPageAsync(long after, int limit, CancellationToken cancellationToken) =>
        PullCoreAsync(after, limit, keepBytes: true, cancellationToken);

    private async Task<Exchange<PullOutcome>> PullCoreAsync(long after, int limit, bool keepBytes, CancellationToken cancellationToken)
    {
        var uri = $"v1/streams/{Uri.EscapeDataString(_stream)}/pull?after={after}&limit={limit}&client={_clientId:D}";
        var sent = _time.GetUtcNow();
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, At(uri)), Pull, cancellationToken).ConfigureAwait(false);
        var received = _time.GetUtcNow();
        if (response.StatusCode is HttpStatusCode.Gone or HttpStatusCode.BadRequest)
        {
            var (code, serverTime, principal) = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            var status = code switch
            {
                ProblemCodes.SnapshotRequired => PullStatus.SnapshotRequired,
                ProblemCodes.CursorAhead => PullStatus.CursorAhead,
                _ => throw await FailureAsync(response, Pull, cancellationToken).ConfigureAwait(false),
            };
            return new Exchange<PullOutcome>(new PullOutcome(status, null) { Principal = principal }, serverTime, sent, received);
        }

        if (keepBytes)
        {
            var page = await ReadPageAsync(response, cancellationToken).ConfigureAwait(false);
            return new Exchange<PullOutcome>(PullOutcome.Ok(page), page.ServerTime, sent, received);
        }

        var pull = await ReadAsync(response, ConvergeJsonContext.Default.PullResponse, Pull, cancellationToken).ConfigureAwait(false);
        return new Exchange<PullOutcome>(PullOutcome.Ok(pull), pull.ServerTime, sent, received);
    }

    /// <inheritdoc />
    public Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default) =>
        PushBodyAsync(JsonSerializer.SerializeToUtf8Bytes(request, ConvergeJsonContext.Default.PushRequest), cancellationToken);

    /// <summary>Pushes the envelopes' bytes as they are: the replica's stored canonical bodies go into the request unchanged.</summary>
    Task<Exchange<PushResponse>> ISyncTransport.PushEnvelopesAsync(Guid clientId, IReadOnlyList<ActionEnvelope> actions, CancellationToken cancellationToken) =>
        PushBodyAsync(PushRequestWriter.Serialize(clientId, actions), cancellationToken);

    private async Task<Exchange<PushResponse>> PushBodyAsync(byte[] body, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, At($"v1/streams/{Uri.EscapeDataString(_stream)}/push"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        var sent = _time.GetUtcNow();
        using var response = await SendAsync(message, Push, cancellationToken).ConfigureAwait(false);
        var received = _time.GetUtcNow();
        var push = await ReadAsync(response, ConvergeJsonContext.Default.PushResponse, Push, cancellationToken).ConfigureAwait(false);
        return new Exchange<PushResponse>(push, push.ServerTime, sent, received);
    }

    /// <inheritdoc />
    public async Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var sent = _time.GetUtcNow();
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, At($"v1/streams/{Uri.EscapeDataString(_stream)}/snapshot")), Snapshot, cancellationToken).ConfigureAwait(false);
        var received = _time.GetUtcNow();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var (code, serverTime, _) = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            if (code == ProblemCodes.NoSnapshot)
            {
                return new Exchange<SnapshotInfo?>(null, serverTime, sent, received);
            }

            throw await FailureAsync(response, Snapshot, cancellationToken).ConfigureAwait(false);
        }

        var info = await ReadAsync(response, ConvergeJsonContext.Default.SnapshotInfo, Snapshot, cancellationToken).ConfigureAwait(false);
        return new Exchange<SnapshotInfo?>(info, info.ServerTime, sent, received);
    }

    /// <inheritdoc />
    public async Task<ServerLimits?> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, At($"v1/streams/{Uri.EscapeDataString(_stream)}/limits")), Limits, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // A server from before the endpoint: its limits are the defaults, as they were then.
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, Limits, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ServerLimits.Parse(body) is { IsValid: true } limits ? limits : throw new ServerProtocolException("The server's limits are not all positive.") { Operation = Limits };
        }
        catch (FormatException e)
        {
            throw new ServerProtocolException($"The server's limits cannot be read: {e.Message}", e) { Operation = Limits };
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, At(snapshot.Href.TrimStart('/'))), Snapshot, cancellationToken, download: true).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await FailureAsync(response, Snapshot, cancellationToken).ConfigureAwait(false);
            }
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<long> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {_token}");
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        var builder = new UriBuilder(At($"v1/streams/{Uri.EscapeDataString(_stream)}/watch"));
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        try
        {
            await socket.ConnectAsync(builder.Uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            throw new ServerUnreachableException($"Cannot watch {builder.Uri}: {e.Message}", e) { Server = _server, Operation = Watch };
        }

        var buffer = new byte[1024];
        while (true)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                throw new ServerUnreachableException($"The watch connection dropped: {e.Message}", e) { Server = _server, Operation = Watch };
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new ServerUnreachableException("The server closed the watch connection.") { Server = _server, Operation = Watch };
            }

            if (WatchMessageOf(buffer.AsSpan(0, received.Count)) is { } message)
            {
                yield return message.Head;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>A path relative to the server (<c>href</c>s are too, protocol §7), as an absolute address.</summary>
    private Uri At(string path) => new(_server, path);

    /// <summary>A watch message; a frame that is not one is the protocol broken, not a dropped connection.</summary>
    private WatchMessage? WatchMessageOf(ReadOnlySpan<byte> frame)
    {
        try
        {
            return JsonSerializer.Deserialize(frame, ConvergeJsonContext.Default.WatchMessage);
        }
        catch (JsonException e)
        {
            throw new ServerProtocolException($"{_server} sent a watch message that is not the protocol's: {e.Message}", e) { Server = _server, Operation = Watch };
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken, bool download = false)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, download ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ServerUnreachableException($"Cannot reach {_server}: {e.Message}", e) { Server = _server, Operation = operation };
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServerUnreachableException($"{_server} did not answer in time.", e) { Server = _server, Operation = operation };
            }

            // Converge answers JSON (a snapshot download aside). Anything else came from another program: a proxy or gateway
            // in front of the server (a 413 page, a 502) keeps its status, so it takes its usual path; any other answer
            // means another program at that address, whose status must not be read as Converge's (a 400 would reject the
            // pushed actions).
            if (!(download && response.IsSuccessStatusCode) && response.Content.Headers.ContentType?.MediaType is { } media && !IsJson(media))
            {
                using (response)
                {
                    throw NotConverge(response, media, operation);
                }
            }

            // (A snapshot's 404 may be no_snapshot, an answer: GetSnapshotAsync reads it.)
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound && operation != Snapshot)
            {
                using (response)
                {
                    throw await FailureAsync(response, operation, cancellationToken).ConfigureAwait(false);
                }
            }

            return response;
        }
    }

    /// <summary>
    /// The failure for an answer that is not Converge's JSON. A success, 400, 401, 403 or 404 that is not JSON is another
    /// program at that address: no status to act on. Any other status (a 413 page, a 429, a 502 of a proxy or gateway in
    /// front of the server) is kept, so the sync engine treats it as it treats the server's own.
    /// </summary>
    private TransportException NotConverge(HttpResponseMessage response, string media, string operation)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300 or 400 or 401 or 403 or 404)
        {
            return new ServerProtocolException($"{_server} is not a Converge server (it answered {status} {media}).") { Server = _server, Operation = operation };
        }

        if (status == 413)
        {
            // As the server's own body_too_large: the batch is halved, and a lone action is rejected.
            return new ServerRefusedException($"{_server} refused the request as too large ({status} {media}, not from Converge): a proxy in front of the server takes smaller bodies than the server does.", status)
            {
                Server = _server,
                Operation = operation,
                Code = ProblemCodes.BodyTooLarge,
            };
        }

        return Failure(new Problem(status, null, null), $"{_server} answered {status} {media}, not from Converge: a proxy or gateway in front of the server refused or failed the request.", operation);
    }

    /// <summary>
    /// The failure for an answer with a status: no usable answer (a 5xx, a 408 or 429, a 400 <c>invalid_body</c>: the
    /// bytes broke on the way), a refusal (any other 4xx), or a status the protocol never answers.
    /// </summary>
    private TransportException Failure(Problem problem, string message, string operation) => problem.Status switch
    {
        >= 500 or 408 or 429 => new ServerUnreachableException(message) { Server = _server, Operation = operation, StatusCode = problem.Status, Code = problem.Code },
        400 when problem.Code == ProblemCodes.InvalidBody => new ServerUnreachableException(message) { Server = _server, Operation = operation, StatusCode = problem.Status, Code = problem.Code },
        >= 400 => new ServerRefusedException(message, problem.Status) { Server = _server, Operation = operation, Code = problem.Code, ActionIndex = problem.ActionIndex },
        _ => new ServerProtocolException(message) { Server = _server, Operation = operation, StatusCode = problem.Status, Code = problem.Code },
    };

    private static bool IsJson(string media) =>
        media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, operation, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                    ?? throw new ServerProtocolException($"{_server} answered the {operation} with an empty body.") { Server = _server, Operation = operation };
            }
        }
        catch (JsonException e)
        {
            throw new ServerProtocolException($"{_server}'s answer to the {operation} is not the protocol's: {e.Message}", e) { Server = _server, Operation = operation };
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ServerUnreachableException($"The server's answer could not be read: {e.Message}", e) { Server = _server, Operation = operation };
        }
    }

    /// <summary>Reads a pull's page keeping each action's bytes; failures as <see cref="ReadAsync{T}"/> reports them.</summary>
    private async Task<PulledPage> ReadPageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, Pull, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                // The reader copies each action's bytes out, so the page itself can live in a pooled buffer.
                return await PooledBody.ReadAsync(stream, response.Content.Headers.ContentLength, PullResponseReader.Read, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ServerUnreachableException($"The server's answer could not be read: {e.Message}", e) { Server = _server, Operation = Pull };
        }
        catch (FormatException e)
        {
            throw new ServerProtocolException($"{_server}'s answer to the {Pull} is not the protocol's: {e.Message}", e) { Server = _server, Operation = Pull };
        }
    }

    private static async Task<(string? Code, DateTimeOffset? ServerTime, string? Principal)> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            return (
                root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
                root.TryGetProperty("serverTime", out var time) && time.ValueKind == JsonValueKind.String && time.TryGetDateTimeOffset(out var at) ? at : null,
                root.TryGetProperty("principal", out var principal) && principal.ValueKind == JsonValueKind.String ? principal.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private async Task<TransportException> FailureAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? code = null;
        int? actionIndex = null;
        var detail = text;
        try
        {
            using var document = JsonDocument.Parse(text);
            code = document.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            detail = document.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text;
            actionIndex = document.RootElement.TryGetProperty("actionIndex", out var i) && i.TryGetInt32(out var at) ? at : null;
        }
        catch (JsonException)
        {
            // Not a problem document: keep the raw text.
        }

        var status = (int)response.StatusCode;
        return Failure(new Problem(status, code, actionIndex), $"The server answered {status}{(code is null ? "" : $" {code}")}: {detail}", operation);
    }

    /// <summary>What a problem answer said: its status, its stable code and the action it names, when it has them.</summary>
    private readonly record struct Problem(int Status, string? Code, int? ActionIndex);
}
