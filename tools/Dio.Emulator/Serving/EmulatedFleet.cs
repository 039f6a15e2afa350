namespace Dio.Emulator.Serving;

/// <summary>The servers of this process, found by the local port a request came in on.</summary>
public sealed class EmulatedFleet(IReadOnlyList<EmulatedServer> servers) : IAsyncDisposable
{
    private readonly Dictionary<int, EmulatedServer> _byPort = [];

    public IReadOnlyList<EmulatedServer> Servers => servers;

    public IReadOnlyDictionary<int, EmulatedServer> ByPort => _byPort;

    public void Bind(int port, EmulatedServer server) => _byPort[port] = server;

    public EmulatedServer? For(HttpContext context) => _byPort.GetValueOrDefault(context.Connection.LocalPort);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }
}
