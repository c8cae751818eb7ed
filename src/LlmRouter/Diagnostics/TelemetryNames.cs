namespace LlmRouter;

/// <summary>The names of LlmRouter's span, events, instruments and attributes, as documented in <c>docs/observability.md</c>.</summary>
internal static class TelemetryNames
{
    public const string RequestActivity = "llmrouter.request";

    public const string AttemptEvent = "llmrouter.attempt";
    public const string SkippedEvent = "llmrouter.skipped";
    public const string FallbackEvent = "llmrouter.fallback";
    public const string RejectedEvent = "llmrouter.rejected";

    public const string Requests = "llmrouter.requests";
    public const string Rejections = "llmrouter.rejections";
    public const string Fallbacks = "llmrouter.fallbacks";
    public const string Cost = "llmrouter.cost";
    public const string BudgetRemaining = "llmrouter.budget.remaining";

    public const string RequestId = "llmrouter.request.id";
    public const string Streaming = "llmrouter.streaming";
    public const string RequestedModel = "llmrouter.model.requested";
    public const string ServedModel = "llmrouter.model.served";
    public const string Model = "llmrouter.model";
    public const string Provider = "llmrouter.provider";
    public const string ProviderModel = "llmrouter.provider.model";
    public const string Region = "llmrouter.region";
    public const string Deployment = "llmrouter.deployment";
    public const string Attempts = "llmrouter.attempts";
    public const string Status = "llmrouter.status";
    public const string Reason = "llmrouter.reason";
    public const string Outcome = "llmrouter.outcome";
    public const string SkipReason = "llmrouter.skip_reason";
    public const string DurationMs = "llmrouter.duration_ms";
    public const string FallbackFrom = "llmrouter.fallback.from";
    public const string FallbackTo = "llmrouter.fallback.to";
    public const string InputTokens = "llmrouter.usage.input_tokens";
    public const string CachedInputTokens = "llmrouter.usage.cached_input_tokens";
    public const string CacheWriteTokens = "llmrouter.usage.cache_write_tokens";
    public const string OutputTokens = "llmrouter.usage.output_tokens";
    public const string ReasoningTokens = "llmrouter.usage.reasoning_tokens";
    public const string TokensEstimated = "llmrouter.usage.estimated";
    public const string CostUsd = "llmrouter.cost.usd";
    public const string PriceUnknown = "llmrouter.price_unknown";
    public const string Key = "llmrouter.key";
    public const string Tenant = "llmrouter.tenant";
    public const string BudgetScope = "llmrouter.budget.scope";
    public const string BudgetPeriod = "llmrouter.budget.period";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";

    /// <summary>The value that stands for a requested model the configuration does not know, so callers cannot grow the number of series.</summary>
    public const string OtherModel = "_OTHER";

    public static string Scope(BudgetScope scope) => scope switch
    {
        LlmRouter.BudgetScope.Key => "key",
        LlmRouter.BudgetScope.Tenant => "tenant",
        _ => "global",
    };

    public static string Period(BudgetPeriod period) => period switch
    {
        LlmRouter.BudgetPeriod.Daily => "daily",
        LlmRouter.BudgetPeriod.Weekly => "weekly",
        LlmRouter.BudgetPeriod.Monthly => "monthly",
        _ => "total",
    };
}
