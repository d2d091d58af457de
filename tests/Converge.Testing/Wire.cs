using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Testing;

/// <summary>Speaks the wire protocol directly, for tests of the server's endpoints.</summary>
public static class Wire
{
    public static string PushBody(Guid clientId, params ConvergeAction[] actions) =>
        JsonSerializer.Serialize(new PushRequest { ClientId = clientId.ToString("D"), Actions = [.. actions.Select(ActionCodec.Encode)] }, ConvergeJsonContext.Default.PushRequest);

    public static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static async Task<HttpResponseMessage> PushRawAsync(HttpClient client, string stream, string body) =>
        await client.PostAsync($"/v1/streams/{stream}/push", Json(body));

    public static async Task<PushResponse> PushAsync(HttpClient client, string stream, Guid clientId, params ConvergeAction[] actions)
    {
        using var response = await PushRawAsync(client, stream, PushBody(clientId, actions));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"push answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonSerializer.Deserialize(text, ConvergeJsonContext.Default.PushResponse)!;
    }

    public static async Task<PullResponse> PullAsync(HttpClient client, string stream, long after, int? limit = null)
    {
        using var response = await client.GetAsync($"/v1/streams/{stream}/pull?after={after}" + (limit is { } l ? $"&limit={l}" : ""));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"pull answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonSerializer.Deserialize(text, ConvergeJsonContext.Default.PullResponse)!;
    }

    /// <summary>The <c>code</c> of a problem response (and checks it is problem+json).</summary>
    public static async Task<string> ProblemCodeAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("code").GetString()!;
    }
}
