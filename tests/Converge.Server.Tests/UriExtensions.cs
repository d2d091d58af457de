namespace Converge.Server.Tests;

internal static class UriExtensions
{
    public static Uri ToWs(this Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
}
