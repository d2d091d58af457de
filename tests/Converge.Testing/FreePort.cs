using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Converge.Testing;

/// <summary>
/// A free TCP port on 127.0.0.1 for a server a test starts (and may restart) itself. It is picked below the kernel's
/// ephemeral range: a port from that range, free a moment ago, can be handed to any other process's outgoing
/// connection or port-0 listener before the test binds it (or while its server restarts), and on a machine shared by
/// several test runs that happens. Ports below the range are only ever taken by name.
/// </summary>
public static class FreePort
{
    private const int Floor = 10_000;

    public static int Next()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 100 && ephemeralStart > Floor; attempt++)
        {
            var port = Random.Shared.Next(Floor, ephemeralStart);
            if (IsFree(port))
            {
                return port;
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux's default when it cannot be read).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
