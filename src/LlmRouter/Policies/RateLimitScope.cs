namespace LlmRouter;

/// <summary>Whose rate limit a request met.</summary>
public enum RateLimitScope
{
    /// <summary>The caller's virtual key.</summary>
    Key,

    /// <summary>The tenant of the caller's key, shared by all its keys.</summary>
    Tenant,
}
