namespace LlmRouter;

/// <summary>How a <see cref="ProviderKind.Simulated"/> provider fails when it decides to fail.</summary>
public enum SimulatedFailureKind
{
    /// <summary>HTTP 429 with a <c>Retry-After</c> of <see cref="ProviderOptions.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>HTTP 503.</summary>
    ServiceUnavailable,

    /// <summary>No answer until <see cref="ProviderOptions.Timeout"/> has passed, then a <see cref="TimeoutException"/>.</summary>
    Timeout,

    /// <summary>A response body that cannot be parsed.</summary>
    MalformedResponse,
}
