using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Records what an attempt used and cost. Usage the provider reported is normalized by its format; what it did not
/// report is counted with the deployment's tokenizer — the prompt when the provider processed it, the output that was
/// received — and the attempt is flagged <see cref="RouteAttempt.TokensEstimated"/>. An attempt on a deployment without
/// a price that used tokens is flagged <see cref="RouteAttempt.PriceUnknown"/> and has no cost, never a cost of zero.
/// </summary>
internal static class AttemptPricing
{
    /// <summary>Records a non-streamed attempt: its response, or no response when it failed or was cancelled.</summary>
    public static void Record(RouteInfo route, RouteAttempt attempt, ChatResponse? response)
    {
        if (response is null || response.Usage?.OutputTokenCount is not null)
        {
            Record(route, attempt, response?.Usage, transcript: null, processed: response is not null);
            return;
        }

        using var transcript = new StreamTranscript();
        transcript.Append(response);
        Record(route, attempt, response.Usage, transcript, processed: true);
    }

    /// <summary>
    /// Records an attempt. <paramref name="processed"/> says the provider processed the prompt (it answered, or output
    /// started); <paramref name="transcript"/> holds the output received, if any.
    /// </summary>
    public static void Record(RouteInfo route, RouteAttempt attempt, UsageDetails? usage, StreamTranscript? transcript, bool processed)
    {
        Deployment deployment = attempt.Deployment!;
        TokenUsage tokens = UsageNormalizer.Normalize(usage, deployment.UsageFormat);
        bool estimated = false;
        processed |= transcript is { IsEmpty: false };

        if (processed && usage?.InputTokenCount is null)
        {
            tokens = tokens with { InputTokens = route.Estimate.PromptTokens(deployment), CachedInputTokens = 0, CacheWriteTokens = 0 };
            estimated = true;
        }

        if (transcript is { IsEmpty: false } && usage?.OutputTokenCount is null)
        {
            TokenUsage produced = transcript.Count(TokenCounting.For(deployment.Tokenizer.Encoding));
            tokens = tokens with { OutputTokens = produced.OutputTokens, ReasoningTokens = produced.ReasoningTokens };
            estimated = true;
        }

        attempt.Tokens = tokens;
        attempt.TokensEstimated = estimated;
        attempt.TokensApproximate = estimated && !deployment.Tokenizer.IsExact;
        attempt.Price = deployment.Price;
        if (deployment.Price is { } price)
        {
            attempt.Cost = price.Cost(tokens);
        }
        else if (tokens.IsEmpty)
        {
            attempt.Cost = 0m;
        }
        else
        {
            attempt.PriceUnknown = true;
        }
    }
}
