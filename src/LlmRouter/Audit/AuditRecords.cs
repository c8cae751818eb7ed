namespace LlmRouter;

/// <summary>Builds a request's audit record from its completed <see cref="RouteInfo"/>: copies, no formatting, no LINQ.</summary>
internal static class AuditRecords
{
    public static AuditRecord From(RouteInfo route, Exception? failure, AuditContent? content, SecretRedactor secrets)
    {
        IReadOnlyList<RouteAttempt> routeAttempts = route.Attempts;
        var attempts = routeAttempts.Count == 0 ? [] : new AuditAttempt[routeAttempts.Count];
        RouteAttempt? charged = null;
        RouteAttempt? lastFailed = null;
        for (int i = 0; i < attempts.Length; i++)
        {
            RouteAttempt attempt = routeAttempts[i];
            attempts[i] = From(attempt);
            if (attempt.Price is not null && !attempt.Tokens.IsEmpty)
            {
                charged = attempt;
            }

            if (attempt.Outcome == AttemptOutcome.Failed)
            {
                lastFailed = attempt;
            }
        }

        ModelPrice? price = charged?.Price ?? route.Price;
        DateTimeOffset started = AuditText.Microseconds(route.StartedAt);
        TimeSpan duration = AuditText.Microseconds(route.Duration);
        return new AuditRecord
        {
            Id = route.RequestId,
            StartedAt = started,
            CompletedAt = started + duration,
            Duration = duration,
            TimeToFirstToken = route.TimeToFirstToken is { } ttft ? AuditText.Microseconds(ttft) : null,
            Streaming = route.Streaming,
            Key = AuditText.Clean(route.Key),
            Tenant = AuditText.Clean(route.Tenant),
            User = AuditText.Clean(route.User),
            Tags = Clean(route.Tags),
            RequestedModel = AuditText.Clean(route.RequestedModel),
            ServedModel = route.ServedModel,
            Provider = route.Provider,
            ProviderModel = route.ProviderModel,
            Region = Region(route.Region),
            Status = route.Status,
            ReasonCode = route.ReasonCode,
            ErrorClass = failure is null ? null : failure is ProviderException provider ? provider.ErrorClass : lastFailed?.ErrorClass,
            ErrorMessage = failure is null ? null : AuditText.Clean(secrets.Redact(failure.Message)),
            Attempts = attempts,
            Tokens = route.Tokens,
            TokensEstimated = route.TokensEstimated,
            Cost = route.Cost,
            PriceUnknown = route.PriceUnknown,
            SharedPrices = price?.SharedRatesFor((charged ?? FindServing(route))?.Tokens.TotalInputTokens ?? 0),
            PriceSource = route.PriceSource ?? (price is null ? null : price.Describe()),
            CatalogVersion = price?.CatalogVersion,
            PiiFindings = route.PiiFindings is { Count: > 0 } findings ? findings : null,
            ContentMode = content?.Mode ?? AuditContentMode.None,
            RequestContent = AuditText.Clean(content?.Request),
            ResponseContent = AuditText.Clean(content?.Response),
            ContentTruncated = content?.Truncated ?? false,
        };
    }

    /// <summary>
    /// The record of a request whose full record could not be built: what identifies it and how it ended, read straight
    /// from the route, with its cost marked unknown (never a silent zero) and the failure's type as its error.
    /// </summary>
    public static AuditRecord Minimal(RouteInfo route, Exception failure)
    {
        DateTimeOffset started = AuditText.Microseconds(route.StartedAt);
        TimeSpan duration = AuditText.Microseconds(route.Duration);
        return new AuditRecord
        {
            Id = route.RequestId,
            StartedAt = started,
            CompletedAt = started + duration,
            Duration = duration,
            Streaming = route.Streaming,
            Key = AuditText.Clean(route.Key),
            Tenant = AuditText.Clean(route.Tenant),
            User = AuditText.Clean(route.User),
            RequestedModel = AuditText.Clean(route.RequestedModel),
            Status = route.Status,
            ReasonCode = route.ReasonCode,
            ErrorMessage = "The audit record could not be built (" + failure.GetType().Name + "): its attempts, tokens and cost are missing.",
            PriceUnknown = true,
        };
    }

    private static AuditAttempt From(RouteAttempt attempt) => new()
    {
        Model = attempt.Model,
        Provider = attempt.Provider,
        ProviderModel = attempt.ProviderModel,
        Region = Region(attempt.Region),
        Outcome = attempt.Outcome,
        SkipReason = attempt.SkipReason,
        ErrorClass = attempt.ErrorClass,
        StatusCode = attempt.StatusCode,
        Error = AuditText.Clean(attempt.Error),
        RetryAfter = attempt.RetryAfter is { } retryAfter ? AuditText.Microseconds(retryAfter) : null,
        OutputStarted = attempt.OutputStarted,
        StartedAt = AuditText.Microseconds(attempt.StartedAt),
        Duration = AuditText.Microseconds(attempt.Duration),
        TimeToFirstToken = attempt.TimeToFirstToken is { } ttft ? AuditText.Microseconds(ttft) : null,
        Tokens = attempt.Tokens,
        TokensEstimated = attempt.TokensEstimated,
        Cost = attempt.Cost,
        PriceUnknown = attempt.PriceUnknown,
        SharedPrices = attempt.Price?.SharedRatesFor(attempt.Tokens.TotalInputTokens),
        PriceSource = attempt.Price?.Describe(),
        CatalogVersion = attempt.Price?.CatalogVersion,
    };

    private static RouteAttempt? FindServing(RouteInfo route)
    {
        for (int i = route.Attempts.Count - 1; i >= 0; i--)
        {
            if (route.Deployment is not null && ReferenceEquals(route.Attempts[i].Deployment, route.Deployment))
            {
                return route.Attempts[i];
            }
        }

        return null;
    }

    /// <summary>An observed client (audit-only mode) has no configured region: it is recorded as unknown.</summary>
    private static string? Region(string? region) => string.IsNullOrEmpty(region) ? null : region;

    private static string[] Clean(IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        var copy = new string[tags.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = AuditText.Clean(tags[i]) ?? string.Empty;
        }

        return copy;
    }
}
