using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>One provider: where requests go, in which region the data is processed, and how the client behaves.</summary>
/// <remarks>
/// <see cref="ApiKey"/> is a secret: it never appears in logs, exception messages, audit records or <see cref="ToString"/>,
/// and neither does a user name or password in <see cref="Endpoint"/>.
/// The settings under "Simulated" apply only to <see cref="ProviderKind.Simulated"/> providers.
/// </remarks>
public sealed class ProviderOptions
{
    /// <summary>The default per-attempt timeout of HTTP providers: five minutes, sized for long generations.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The default connect timeout of HTTP providers: ten seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default number of retries of a connection that could not be opened: two.</summary>
    public const int DefaultConnectRetries = 2;

    /// <summary>Gets or sets the kind of provider. The default value is <see cref="ProviderKind.OpenAI"/>.</summary>
    public ProviderKind Kind { get; set; } = ProviderKind.OpenAI;

    /// <summary>Gets or sets the region where this provider processes data (for example <c>eu</c>, <c>ch</c>, <c>us</c>). Required.</summary>
    /// <remarks>Key policies allow or refuse a deployment by this region.</remarks>
    [Required]
    public string? Region { get; set; }

    /// <summary>Gets or sets the base address of the API. Required for <see cref="ProviderKind.AzureOpenAI"/> and <see cref="ProviderKind.OpenAICompatible"/>; the SDK's default for <see cref="ProviderKind.OpenAI"/>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key. Required for <see cref="ProviderKind.OpenAI"/> and <see cref="ProviderKind.AzureOpenAI"/>; optional for <see cref="ProviderKind.OpenAICompatible"/>. A secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets how this provider's client reports token usage, which decides how it is normalized. The default value is <see cref="UsageFormat.Auto"/>.</summary>
    public UsageFormat UsageFormat { get; set; }

    /// <summary>Gets or sets the OpenAI organization header, if any. The default value is <see langword="null"/>.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets how long one attempt may take before it fails as a timeout, from 10 ms to 24 hours. The default value is <see cref="DefaultTimeout"/>.</summary>
    /// <remarks>
    /// For HTTP providers this bounds a non-streamed request until its whole response is read, and a streamed one up to
    /// its response headers; a stream's body is bounded by <see cref="RoutingOptions.StreamFirstTokenTimeout"/>,
    /// <see cref="RoutingOptions.StreamIdleTimeout"/> and <see cref="RoutingOptions.StreamTotalTimeout"/>. A
    /// <see cref="ProviderKind.Simulated"/> provider failing with <see cref="SimulatedFailureKind.Timeout"/> waits this long.
    /// <see cref="ProviderKind.Custom"/> clients own their timeouts.
    /// </remarks>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Gets or sets how long opening a connection may take, at most 24 hours. The default value is <see cref="DefaultConnectTimeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Gets or sets how many times a connection that could not be opened is retried. The default value is <see cref="DefaultConnectRetries"/>.</summary>
    /// <remarks>Only failures where the request provably never reached the provider are retried, so a billed request is never sent twice.</remarks>
    [Range(0, 10)]
    public int ConnectRetries { get; set; } = DefaultConnectRetries;

    /// <summary>Gets or sets the simulated time to the response (or to the first streamed chunk). Simulated only. The default value is zero.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the simulated delay between streamed chunks. Simulated only. The default value is zero.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Gets or sets the number of output tokens (words) a simulated response has. Simulated only. The default value is 24.</summary>
    [Range(0, 1_000_000)]
    public int OutputTokens { get; set; } = 24;

    /// <summary>Gets or sets the probability, from 0 to 1, that a simulated call fails. Simulated only. The default value is 0.</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    /// <summary>Gets or sets how a simulated call fails. Simulated only. The default value is <see cref="SimulatedFailureKind.ServiceUnavailable"/>.</summary>
    public SimulatedFailureKind FailureKind { get; set; } = SimulatedFailureKind.ServiceUnavailable;

    /// <summary>Gets or sets the <c>Retry-After</c> a simulated 429 carries. Simulated only. The default value is one second.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the number of chunks after which a simulated stream fails (with <see cref="FailureKind"/>), or <see langword="null"/> to fail before the first chunk. Simulated only. The default value is <see langword="null"/>.</summary>
    [Range(0, int.MaxValue)]
    public int? FailAfterChunks { get; set; }

    /// <summary>Gets or sets whether a simulated response reports token usage. Simulated only. The default value is <see langword="true"/>.</summary>
    public bool ReportUsage { get; set; } = true;

    /// <summary>Gets or sets the seed that makes a simulated provider's failures deterministic, or <see langword="null"/> for a random seed. Simulated only. The default value is <see langword="null"/>.</summary>
    public int? Seed { get; set; }

    /// <inheritdoc/>
    /// <remarks>Names the kind, the region and the endpoint's scheme, host, port and path: never the API key, nor the user name and password, query or fragment an endpoint may carry.</remarks>
    public override string ToString() => $"{Kind} provider in region '{Region}'" + (Endpoint is null ? string.Empty : " at " + PrintableEndpoint(Endpoint));

    private static string PrintableEndpoint(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(a relative address)";
}
