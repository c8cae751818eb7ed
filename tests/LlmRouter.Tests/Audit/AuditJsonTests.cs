using System.Text;
using System.Text.Json;
using LlmRouter.Tests.Support;

namespace LlmRouter.Tests.Audit;

public class AuditJsonTests
{
    [Fact]
    public void Attempts_are_JSON_that_reads_back_as_written_whatever_their_text()
    {
        const string Awkward = "quote \" backslash \\ newline \n tab \t control \u0001 zoë 😀 line\u2028separator";
        AuditAttempt[] written =
        [
            .. AuditSamples.Full().Attempts,
            new AuditAttempt
            {
                Model = Awkward, Provider = "p/\"x\"", Region = "eu", Outcome = AttemptOutcome.Failed, ErrorClass = ErrorClass.RateLimited, StatusCode = 429,
                Error = Awkward, RetryAfter = TimeSpan.FromTicks(15_000_000), StartedAt = AuditText.Microseconds(DateTimeOffset.UtcNow), Duration = TimeSpan.FromTicks(1230),
                TimeToFirstToken = TimeSpan.FromTicks(10), Tokens = new TokenUsage { InputTokens = 1, CachedInputTokens = 2, CacheWriteTokens = 3, OutputTokens = 4, ReasoningTokens = 5 },
                TokensEstimated = true, Cost = -0.000_000_1000m, PriceUnknown = true,
                Prices = new PriceRates { InputPerMillion = 2.50m, CachedInputPerMillion = 0m, CacheWritePerMillion = 79228162514264337593543950335m, OutputPerMillion = 0.0000000000000000000000000001m, ReasoningPerMillion = 10m },
                PriceSource = "configuration: LlmRouter:Prices:\"odd\"", CatalogVersion = "v1",
            },
        ];
        using var json = new AuditJson();

        string text = json.Attempts(written);

        using (JsonDocument.Parse(text))
        {
        }

        AuditAttempt[] read = AuditJson.ReadAttempts(text);
        Assert.Equal(written.Length, read.Length);
        for (int i = 0; i < written.Length; i++)
        {
            foreach (System.Reflection.PropertyInfo property in typeof(AuditAttempt).GetProperties())
            {
                Assert.Equal(property.GetValue(written[i]), property.GetValue(read[i]));
            }
        }

        Assert.Contains("\"price_input\":2.5,", text, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(text), json.AttemptsUtf8(written).ToArray());
    }

    [Fact]
    public void No_attempts_are_an_empty_array()
    {
        using var json = new AuditJson();

        Assert.Equal("[]", json.Attempts([]));
    }
}
