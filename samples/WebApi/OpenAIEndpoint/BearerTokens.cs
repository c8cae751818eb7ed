using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>Maps a bearer token to the client it belongs to, by the token's SHA-256 hash.</summary>
/// <remarks>
/// The token itself is never kept, logged or echoed. Every configured hash is compared, in constant time, whatever the
/// token, so the time an answer takes says nothing about which hashes exist. Reads the configuration current at each call.
/// </remarks>
internal sealed class BearerTokens(IOptionsMonitor<OpenAIEndpointOptions> options)
{
    /// <summary>Finds the client whose token this is.</summary>
    /// <param name="token">The token presented after <c>Bearer </c>.</param>
    /// <param name="caller">The client, when the token is configured.</param>
    /// <returns>Whether the token is configured.</returns>
    public bool TryAuthenticate(ReadOnlySpan<char> token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApiCaller? caller)
    {
        caller = null;
        if (token.IsEmpty)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        byte[] utf8 = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8, presented);
        CryptographicOperations.ZeroMemory(utf8);

        Span<byte> configured = stackalloc byte[SHA256.HashSizeInBytes];
        foreach ((string client, ApiClientOptions entry) in options.CurrentValue.Clients)
        {
            if (entry is { Key: { Length: > 0 } key, TokenSha256: { } hash } &&
                Convert.FromHexString(hash, configured, out _, out int written) == System.Buffers.OperationStatus.Done &&
                written == configured.Length &&
                CryptographicOperations.FixedTimeEquals(presented, configured) &&
                caller is null)
            {
                caller = new ApiCaller(client, key);
            }
        }

        return caller is not null;
    }

    /// <summary>Gets whether a configured value is a SHA-256 hash in hexadecimal.</summary>
    public static bool IsHash(string? value) =>
        value is { Length: SHA256.HashSizeInBytes * 2 } && value.All(char.IsAsciiHexDigit);
}
