namespace LlmRouter;

/// <summary>How a routed request ended.</summary>
public enum RouteStatus
{
    /// <summary>The request has not finished yet.</summary>
    Pending,

    /// <summary>A provider served the request.</summary>
    Served,

    /// <summary>LlmRouter refused the request before any provider was called (key, whitelist, region, budget, rate limit, policy).</summary>
    Rejected,

    /// <summary>The request was attempted and failed (every deployment failed, or a provider error that is not retried).</summary>
    Failed,

    /// <summary>The caller cancelled the request, or stopped reading the stream before it ended.</summary>
    Cancelled,
}
