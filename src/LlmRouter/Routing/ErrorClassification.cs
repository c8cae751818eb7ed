using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using Polly.Timeout;

namespace LlmRouter;

/// <summary>
/// Classifies provider exceptions: the registered classifiers first, then the built-in rules for the OpenAI SDK
/// (status, error code and <c>Retry-After</c> from the raw response), HTTP, timeout, parse and simulated failures.
/// </summary>
internal sealed class ErrorClassification
{
    private readonly IProviderErrorClassifier[] _custom;
    private readonly TimeProvider _time;

    public ErrorClassification(IEnumerable<IProviderErrorClassifier> custom, TimeProvider timeProvider)
    {
        _custom = [.. custom];
        _time = timeProvider;
    }

    public static ErrorClassification BuiltIn { get; } = new([], TimeProvider.System);

    public ProviderFailure Classify(Exception exception)
    {
        foreach (IProviderErrorClassifier classifier in _custom)
        {
            if (classifier.TryClassify(exception, out ProviderFailure failure))
            {
                return failure;
            }
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (TryClassifyOne(current, out ProviderFailure failure))
            {
                return failure;
            }
        }

        return new ProviderFailure(ErrorClass.Unknown);
    }

    private bool TryClassifyOne(Exception exception, out ProviderFailure failure)
    {
        switch (exception)
        {
            case ClientResultException result when result.Status > 0:
                failure = FromResponse(result.Status, result.GetRawResponse(), result.Message);
                return true;
            case SimulatedProviderException simulated:
                failure = new ProviderFailure(FromStatus(simulated.StatusCode, code: null, simulated.Message), simulated.StatusCode, simulated.RetryAfter);
                return true;
            case HttpRequestException { StatusCode: HttpStatusCode status } http:
                failure = new ProviderFailure(FromStatus((int)status, code: null, http.Message), (int)status);
                return true;
            case HttpRequestException http:
                failure = new ProviderFailure(http.HttpRequestError == HttpRequestError.InvalidResponse ? ErrorClass.InvalidResponse : ErrorClass.Network);
                return true;
            case TimeoutRejectedException or TimeoutException:
                failure = new ProviderFailure(ErrorClass.Timeout);
                return true;
            case JsonException or FormatException or InvalidDataException:
                failure = new ProviderFailure(ErrorClass.InvalidResponse);
                return true;
            case IOException or System.Net.Sockets.SocketException:
                failure = new ProviderFailure(ErrorClass.Network);
                return true;
            default:
                failure = default;
                return false;
        }
    }

    private ProviderFailure FromResponse(int status, PipelineResponse? response, string message)
    {
        string? code = null;
        string? providerMessage = null;
        TimeSpan? retryAfter = null;
        if (response is not null)
        {
            // An HTTP-date Retry-After is measured on the router's clock, the one its cooldowns run on.
            retryAfter = RetryAfterFrom(response.Headers, _time.GetUtcNow());
            (code, providerMessage) = ErrorBody(response);
        }

        return new ProviderFailure(FromStatus(status, code, providerMessage ?? message), status, retryAfter);
    }

    /// <summary>Maps a status and the provider's error code or message to a class.</summary>
    /// <remarks>
    /// A rate limit, a server error or a request timeout is what its status says, whatever its message mentions ("too
    /// many tokens" per minute, an overloaded "context window"): it keeps its <c>Retry-After</c>, cools the deployment
    /// down and falls back along the general chain. Only other statuses are read for a context window or a content filter.
    /// </remarks>
    internal static ErrorClass FromStatus(int status, string? code, string? message)
    {
        switch (status)
        {
            case 408:
                return ErrorClass.Timeout;
            case 429:
                return ErrorClass.RateLimited;
            case >= 500:
                return ErrorClass.ServerError;
        }

        if (IsContextWindow(code, message))
        {
            return ErrorClass.ContextWindowExceeded;
        }

        if (IsContentFilter(code, message))
        {
            return ErrorClass.ContentFiltered;
        }

        return status switch
        {
            401 or 403 => ErrorClass.Authentication,
            404 => ErrorClass.NotFound,
            413 => ErrorClass.ContextWindowExceeded,
            >= 400 => ErrorClass.BadRequest,
            _ => ErrorClass.Unknown,
        };
    }

    private static bool IsContextWindow(string? code, string? message) =>
        code is "context_length_exceeded" or "string_above_max_length" ||
        Contains(message, "maximum context length") || Contains(message, "context window") || Contains(message, "context_length_exceeded") ||
        Contains(message, "prompt is too long") || Contains(message, "too many tokens");

    private static bool IsContentFilter(string? code, string? message) =>
        code is "content_filter" or "content_policy_violation" or "ResponsibleAIPolicyViolation" ||
        Contains(message, "content management policy") || Contains(message, "content_policy_violation") || Contains(message, "content filter");

    private static bool Contains(string? text, string value) => text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static TimeSpan? RetryAfterFrom(PipelineResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValue("retry-after-ms", out string? ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.TryGetValue("retry-after", out string? value) && value is not null)
        {
            return ParseRetryAfter(value, now);
        }

        return null;
    }

    /// <summary>Parses a <c>Retry-After</c> value: seconds, or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(string value, DateTimeOffset now)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
        {
            TimeSpan wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static (string? Code, string? Message) ErrorBody(PipelineResponse response)
    {
        try
        {
            BinaryData content = response.Content;
            if (content.ToMemory().Length == 0)
            {
                return (null, null);
            }

            using JsonDocument document = JsonDocument.Parse(content.ToMemory());
            JsonElement error = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out JsonElement e) ? e : document.RootElement;
            if (error.ValueKind != JsonValueKind.Object)
            {
                return (null, error.ValueKind == JsonValueKind.String ? error.GetString() : null);
            }

            string? code = StringProperty(error, "code") ?? StringProperty(error, "type");
            if (error.TryGetProperty("innererror", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object)
            {
                code = StringProperty(inner, "code") ?? code;
            }

            return (code, StringProperty(error, "message"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
