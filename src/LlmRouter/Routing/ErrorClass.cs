namespace LlmRouter;

/// <summary>The classification of a provider failure, which decides whether and where LlmRouter falls back.</summary>
public enum ErrorClass
{
    /// <summary>No error.</summary>
    None,

    /// <summary>429: the provider is rate limiting. Falls back; the deployment is cooled down for its Retry-After.</summary>
    RateLimited,

    /// <summary>5xx: the provider failed. Falls back.</summary>
    ServerError,

    /// <summary>The provider did not answer in time (or a stream went silent). Falls back.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke. Falls back.</summary>
    Network,

    /// <summary>The provider's answer could not be read. Falls back.</summary>
    InvalidResponse,

    /// <summary>404: the provider does not know the model or endpoint. Falls back.</summary>
    NotFound,

    /// <summary>The request does not fit the model's context window. Falls back along <c>ContextWindowFallbacks</c>.</summary>
    ContextWindowExceeded,

    /// <summary>The provider's content filter refused the request. Falls back only along <c>ContentPolicyFallbacks</c>.</summary>
    ContentFiltered,

    /// <summary>401/403: the provider refused the credentials. Fails fast, without fallback.</summary>
    Authentication,

    /// <summary>400/422: the provider refused the request as malformed. Fails fast, without fallback.</summary>
    BadRequest,

    /// <summary>A failure LlmRouter could not classify. Falls back.</summary>
    Unknown,
}
