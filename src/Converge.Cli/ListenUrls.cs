using System.Globalization;

namespace Converge.Cli;

/// <summary>Checks <c>serve --urls</c> before the server starts: Kestrel reads a malformed address as "every interface, port 80".</summary>
internal static class ListenUrls
{
    private const string Example = "such as http://127.0.0.1:5080";

    /// <summary>Returns <paramref name="urls"/> (addresses split by ';') when each is http://HOST[:PORT][/path]; else throws a usage error.</summary>
    public static string Check(string urls)
    {
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            throw new CliException($"--urls must name an address, {Example}.", ExitCodes.Usage);
        }

        foreach (var address in addresses)
        {
            if (address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"'{address}': converge serve listens on http:// only (put a TLS proxy in front of it).", ExitCodes.Usage);
            }

            if (!IsHttpAddress(address))
            {
                throw new CliException($"'{address}' is not an address to listen on: expected http://HOST:PORT, {Example}.", ExitCodes.Usage);
            }
        }

        return urls;
    }

    private static bool IsHttpAddress(string address)
    {
        const string scheme = "http://";
        if (!address.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authority = address[scheme.Length..].Split('/')[0];
        var bracket = authority.LastIndexOf(']');
        var colon = authority.LastIndexOf(':');
        var host = colon > bracket ? authority[..colon] : authority;
        var port = colon > bracket ? authority[(colon + 1)..] : null;
        return host.Length > 0
            && !host.Any(char.IsWhiteSpace)
            && (port is null || (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535));
    }
}
