namespace LlmRouter.Postgres.Tests.Support;

/// <summary>Audit records of requests a fallback rescued: the requested alias failed at one provider, another alias served.</summary>
internal static class FallbackSamples
{
    /// <summary>
    /// <paramref name="count"/> served requests starting at <paramref name="start"/>, one every 40 minutes, each with a
    /// failed attempt at <paramref name="from"/> (rate limited), a skipped target and a succeeding attempt at <paramref name="to"/>.
    /// </summary>
    public static List<AuditRecord> Rescued(int count, DateTimeOffset start, string from = "assistant", string to = "assistant-ch", string? key = "client-chat", string? tenant = "acme")
    {
        var records = new List<AuditRecord>(count);
        for (int i = 0; i < count; i++)
        {
            DateTimeOffset started = start.AddMinutes(40 * i);
            var tokens = new TokenUsage { InputTokens = 1000 + i, OutputTokens = 200 };
            decimal cost = 0.0035m + (i / 1_000_000m);
            records.Add(new AuditRecord
            {
                Id = Guid.CreateVersion7(started),
                StartedAt = started,
                CompletedAt = started.AddMilliseconds(1800),
                Duration = TimeSpan.FromMilliseconds(1800),
                TimeToFirstToken = TimeSpan.FromMilliseconds(420),
                Streaming = true,
                Key = key,
                Tenant = tenant,
                User = "someone@acme.example",
                RequestedModel = from,
                ServedModel = to,
                Provider = "infomaniak",
                ProviderModel = "mistral-large-2411",
                Region = "ch",
                Status = RouteStatus.Served,
                Attempts =
                [
                    new AuditAttempt { Model = from, Provider = "mistral", Outcome = AttemptOutcome.Failed, ErrorClass = ErrorClass.RateLimited, StatusCode = 429, Error = "Rate limit reached for requests", StartedAt = started, Duration = TimeSpan.FromMilliseconds(300) },
                    new AuditAttempt { Model = from + "-eu", Outcome = AttemptOutcome.Skipped, SkipReason = SkipReasons.Cooldown, StartedAt = started.AddMilliseconds(300) },
                    new AuditAttempt { Model = to, Provider = "infomaniak", Outcome = AttemptOutcome.Succeeded, StartedAt = started.AddMilliseconds(300), Duration = TimeSpan.FromMilliseconds(1500), Tokens = tokens, Cost = cost },
                ],
                Tokens = tokens,
                Cost = cost,
            });
        }

        return records;
    }
}
