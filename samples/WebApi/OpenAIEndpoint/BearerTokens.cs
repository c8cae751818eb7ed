using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>Maps a bearer token to the client it belongs to, by the token's SHA-256 hash.</summary>
/// <remarks>
/// <para>
/// The token itself is never kept, logged or echoed. Every configured hash is compared, in constant time, whatever the
/// token, so the time an answer takes says nothing about which hashes exist.
/// </para>
/// <para>
/// Like LlmRouter's routing table, the clients follow configuration reloads, and a reloaded <c>OpenAIEndpoint</c> section
/// that does not validate is logged and ignored: the previous clients stay in service. Thread-safe.
/// </para>
/// </remarks>
internal sealed partial class BearerTokens : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private volatile Client[] _clients;

    public BearerTokens(IOptionsFactory<OpenAIEndpointOptions> options, IEnumerable<IOptionsChangeTokenSource<OpenAIEndpointOptions>> changes, ILogger<BearerTokens> logger)
    {
        // Built and validated here rather than read from IOptionsMonitor, whose value throws once a reload is invalid.
        _clients = Compile(options.Create(Options.DefaultName));
        foreach (IOptionsChangeTokenSource<OpenAIEndpointOptions> source in changes)
        {
            _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, () =>
            {
                try
                {
                    _clients = Compile(options.Create(Options.DefaultName));
                }
                catch (OptionsValidationException invalid)
                {
                    Log.ReloadRejected(logger, string.Join("; ", invalid.Failures));
                }
            }));
        }
    }

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

        foreach (Client client in _clients)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, client.Hash) && caller is null)
            {
                caller = client.Caller;
            }
        }

        return caller is not null;
    }

    /// <summary>Gets whether a configured value is a SHA-256 hash in hexadecimal.</summary>
    public static bool IsHash(string? value) =>
        value is { Length: SHA256.HashSizeInBytes * 2 } && value.All(char.IsAsciiHexDigit);

    public void Dispose() => _subscriptions.ForEach(subscription => subscription.Dispose());

    /// <summary>Takes validated options: every client has a key and a well-formed hash.</summary>
    private static Client[] Compile(OpenAIEndpointOptions options) =>
        [.. options.Clients.Select(entry => new Client(Convert.FromHexString(entry.Value.TokenSha256!), new ApiCaller(entry.Key, entry.Value.Key!)))];

    private sealed record Client(byte[] Hash, ApiCaller Caller);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The reloaded OpenAIEndpoint configuration is not valid and was ignored; the previous clients stay in service: {Errors}")]
        public static partial void ReloadRejected(ILogger logger, string errors);
    }
}
