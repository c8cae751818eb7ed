using System.Net;
using System.Net.Sockets;

namespace LlmRouter.Tests.Support;

/// <summary>Loopback addresses with a known behaviour, for tests that must not reach the internet.</summary>
public static class LoopbackEndpoints
{
    /// <summary>Gets an address on 127.0.0.1 whose port refuses connections.</summary>
    /// <returns>An <c>http://127.0.0.1:{port}/v1/</c> address nothing listens on.</returns>
    /// <remarks>The port was free a moment ago; another process could take it, which on loopback in a test run is unlikely enough.</remarks>
    public static Uri Refusing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1/");
    }
}
