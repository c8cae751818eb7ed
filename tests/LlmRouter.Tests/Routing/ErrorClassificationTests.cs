using System.Net;
using System.Text.Json;
using Polly.Timeout;

namespace LlmRouter.Tests.Routing;

public class ErrorClassificationTests
{
    private static ErrorClass Classify(Exception exception) => ErrorClassification.BuiltIn.Classify(exception).ErrorClass;

    [Theory]
    [InlineData(400, ErrorClass.BadRequest)]
    [InlineData(401, ErrorClass.Authentication)]
    [InlineData(403, ErrorClass.Authentication)]
    [InlineData(404, ErrorClass.NotFound)]
    [InlineData(408, ErrorClass.Timeout)]
    [InlineData(413, ErrorClass.ContextWindowExceeded)]
    [InlineData(422, ErrorClass.BadRequest)]
    [InlineData(429, ErrorClass.RateLimited)]
    [InlineData(500, ErrorClass.ServerError)]
    [InlineData(502, ErrorClass.ServerError)]
    [InlineData(503, ErrorClass.ServerError)]
    [InlineData(529, ErrorClass.ServerError)]
    public void Statuses_map_to_classes(int status, ErrorClass expected) =>
        Assert.Equal(expected, Classify(new HttpRequestException("x", null, (HttpStatusCode)status)));

    [Theory]
    [InlineData("context_length_exceeded", null)]
    [InlineData(null, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.")]
    [InlineData(null, "prompt is too long: 210000 tokens > 200000 maximum")]
    public void A_context_window_error_is_recognized_by_code_or_message(string? code, string? message) =>
        Assert.Equal(ErrorClass.ContextWindowExceeded, ErrorClassification.FromStatus(400, code, message));

    [Theory]
    [InlineData(429, "rate_limit_exceeded", "Too many tokens per minute for this deployment; please try again in 20s.", ErrorClass.RateLimited)]
    [InlineData(429, "context_length_exceeded", "Rate limit reached for requests with a large context window.", ErrorClass.RateLimited)]
    [InlineData(500, null, "The server had an error processing a prompt with too many tokens.", ErrorClass.ServerError)]
    [InlineData(503, null, "The engine is overloaded by requests near its maximum context length.", ErrorClass.ServerError)]
    [InlineData(503, "content_filter", "The content filter is unavailable.", ErrorClass.ServerError)]
    [InlineData(408, null, "Timed out reading a prompt with too many tokens.", ErrorClass.Timeout)]
    public void A_rate_limit_server_error_or_timeout_is_what_its_status_says_whatever_its_message_mentions(int status, string? code, string message, ErrorClass expected) =>
        Assert.Equal(expected, ErrorClassification.FromStatus(status, code, message));

    [Theory]
    [InlineData("content_filter", null)]
    [InlineData("content_policy_violation", null)]
    [InlineData("ResponsibleAIPolicyViolation", null)]
    [InlineData(null, "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.")]
    public void A_content_filter_refusal_is_recognized_by_code_or_message(string? code, string? message) =>
        Assert.Equal(ErrorClass.ContentFiltered, ErrorClassification.FromStatus(400, code, message));

    [Fact]
    public void Transport_failures_are_classified_through_wrapping_exceptions()
    {
        Assert.Equal(ErrorClass.Network, Classify(new InvalidOperationException("wrapped", new HttpRequestException(HttpRequestError.ConnectionError, "refused"))));
        Assert.Equal(ErrorClass.InvalidResponse, Classify(new HttpRequestException(HttpRequestError.InvalidResponse, "garbage")));
        Assert.Equal(ErrorClass.Timeout, Classify(new TimeoutRejectedException()));
        Assert.Equal(ErrorClass.Timeout, Classify(new TaskCanceledException("timed out", new TimeoutException())));
        Assert.Equal(ErrorClass.InvalidResponse, Classify(new JsonException("bad")));
        Assert.Equal(ErrorClass.Network, Classify(new IOException("reset")));
        Assert.Equal(ErrorClass.Unknown, Classify(new InvalidOperationException("who knows")));
    }

    [Fact]
    public void A_simulated_rate_limit_carries_its_retry_after()
    {
        ProviderFailure failure = ErrorClassification.BuiltIn.Classify(new SimulatedProviderException(429, "slow down", TimeSpan.FromSeconds(7)));

        Assert.Equal((ErrorClass.RateLimited, (int?)429, (TimeSpan?)TimeSpan.FromSeconds(7)), (failure.ErrorClass, failure.StatusCode, failure.RetryAfter));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(20), ErrorClassification.ParseRetryAfter("20", now));
        Assert.Equal(TimeSpan.FromSeconds(1.5), ErrorClassification.ParseRetryAfter("1.5", now));
        Assert.Equal(TimeSpan.FromMinutes(2), ErrorClassification.ParseRetryAfter("Wed, 25 Nov 2026 09:02:00 GMT", now));
        Assert.Equal(TimeSpan.Zero, ErrorClassification.ParseRetryAfter("Wed, 25 Nov 2026 08:00:00 GMT", now));
        Assert.Null(ErrorClassification.ParseRetryAfter("soon", now));
    }

    [Fact]
    public void A_registered_classifier_is_asked_first()
    {
        var classification = new ErrorClassification([new OverloadedClassifier()], TimeProvider.System);

        Assert.Equal(ErrorClass.RateLimited, classification.Classify(new InvalidOperationException("overloaded_error")).ErrorClass);
        Assert.Equal(ErrorClass.Unknown, classification.Classify(new InvalidOperationException("other")).ErrorClass);
    }

    private sealed class OverloadedClassifier : IProviderErrorClassifier
    {
        public bool TryClassify(Exception exception, out ProviderFailure failure)
        {
            failure = new ProviderFailure(ErrorClass.RateLimited, 529, TimeSpan.FromSeconds(5));
            return exception.Message == "overloaded_error";
        }
    }
}
