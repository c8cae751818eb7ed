namespace LlmRouter;

/// <summary>The stable reasons recorded when a deployment or alias is skipped without being called.</summary>
public static class SkipReasons
{
    /// <summary>The deployment is cooling down after failures or a rate-limit answer.</summary>
    public const string Cooldown = "cooldown";

    /// <summary>The caller's key may not use the alias.</summary>
    public const string ModelNotAllowed = ReasonCodes.ModelNotAllowed;

    /// <summary>The caller's key may not send data to the deployment's region.</summary>
    public const string RegionNotAllowed = ReasonCodes.RegionNotAllowed;

    /// <summary>The request contains personal data the caller's PII policy blocks in the deployment's region.</summary>
    public const string PolicyViolation = ReasonCodes.PolicyViolation;

    /// <summary>The request does not fit the deployment's context window.</summary>
    public const string ContextWindow = "context_window";

    /// <summary>The budget cannot cover the worst-case cost of the request on this deployment.</summary>
    public const string BudgetExceeded = ReasonCodes.BudgetExceeded;

    /// <summary>The deployment has no known price and strict pricing is on.</summary>
    public const string PriceUnknown = "price_unknown";

    /// <summary>
    /// A budget applies, and the request holds content whose size cannot be bounded (an image, audio, a document, a link,
    /// a hosted file) while the deployment's maximum input tokens — what bounds it instead — is unknown.
    /// </summary>
    public const string PromptUnbounded = "prompt_unbounded";

    /// <summary>The fallback chain was longer than <see cref="RoutingOptions.MaxFallbackHops"/>.</summary>
    public const string HopLimit = "hop_limit";
}
