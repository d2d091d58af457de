using System.Net.Http.Headers;
using System.Text.Json;
using Converge.Benchmarks.Harness;
using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Benchmarks.Hosting;

/// <summary>
/// Pushes actions with the raw wire protocol (<see cref="PushRequestWriter"/>), bodies
/// serialized before the clock starts, so what is timed is the server's ingest and the HTTP exchange.
/// </summary>
internal sealed class WirePusher : IDisposable
{
    private readonly HttpClient _http;

    public WirePusher(Uri server, string token)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A push body: the actions' canonical bytes, from one client, as a replica sends them.</summary>
    public static byte[] Body(Guid clientId, IEnumerable<ConvergeAction> actions) =>
        PushRequestWriter.Serialize(clientId, actions.Select(ActionEnvelope.Of));

    /// <summary>Pushes one body; throws unless every action was accepted (a figure of rejections would mean nothing).</summary>
    public async Task<PushResponse> PushAsync(string stream, byte[] body, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri($"v1/streams/{stream}/push", UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"push to {stream} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(text)}");
        }

        var answer = JsonSerializer.Deserialize(text, ConvergeJsonContext.Default.PushResponse)!;
        if (answer.Results.FirstOrDefault(r => r.Status != PushStatus.Accepted) is { } refused)
        {
            throw new InvalidOperationException($"push to {stream}: action {refused.Id} was {refused.Status} ({refused.Code}: {refused.Message}).");
        }

        return answer;
    }

    /// <summary>
    /// Pushes the bodies from <paramref name="workers"/> concurrent connections, each taking the next body; stops early
    /// at the deadline. Returns how many bodies were pushed.
    /// </summary>
    public static async Task<int> PushAllAsync(IReadOnlyList<WirePusher> pushers, int workers, IReadOnlyList<(string Stream, byte[] Body)> bodies, Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(pushers);
        ArgumentNullException.ThrowIfNull(bodies);
        var next = -1;
        var done = 0;
        var tasks = Enumerable.Range(0, workers).Select(async worker =>
        {
            var pusher = pushers[worker % pushers.Count];
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count && !deadline.Passed)
            {
                await pusher.PushAsync(bodies[i].Stream, bodies[i].Body);
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(tasks);
        return done;
    }

    public void Dispose() => _http.Dispose();
}
