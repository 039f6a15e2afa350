using System.Net;
using System.Net.Sockets;

namespace Dio.Ports;

/// <summary>
/// Free ports for listeners that bind some time after the port is chosen (an Orleans silo, a child process, a test
/// host). Chosen at random below the kernel's ephemeral range, not by binding to port 0: the kernel hands a port it
/// gave out for "any port" to outgoing connections too, and a host's own HTTP or Redis client once took one between
/// the choice and the bind (AddressInUse at a silo's start: a flaky test). Below the range only another process
/// choosing the same way can collide, and the random choice makes that rare. Linked into each project that needs it.
/// </summary>
internal static class FreePorts
{
    private const int Lowest = 20_000;
    private const int LinuxEphemeralStart = 32_768;

    /// <summary><paramref name="count"/> distinct ports nothing listens on now.</summary>
    public static int[] Take(int count)
    {
        var below = EphemeralRangeStart();
        var ports = new HashSet<int>();
        for (var attempt = 0; ports.Count < count; attempt++)
        {
            if (attempt == 64 * count)
            {
                throw new InvalidOperationException($"No {count} free ports found in {Lowest}–{below - 1}; configure the ports explicitly.");
            }

            var port = Random.Shared.Next(Lowest, below);
            if (IsFree(port))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }

    /// <summary>Whether a listener could bind <paramref name="port"/> on every address now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range (net.ipv4.ip_local_port_range); its default elsewhere.</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return range.Length > 0 && int.TryParse(range[0], out var start) && start > Lowest + 1_000 ? start : LinuxEphemeralStart;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return LinuxEphemeralStart;
        }
    }
}
