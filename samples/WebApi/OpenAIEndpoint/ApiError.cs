namespace WebApiSample.OpenAIEndpoint;

/// <summary>An error answer: the HTTP status, OpenAI's error body, and the retry advice that goes into headers.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">The body's <c>error</c>.</param>
/// <param name="ShouldRetry"><c>x-should-retry</c>, which OpenAI's SDKs obey over their status-based default; <see langword="null"/> to send none.</param>
/// <param name="RetryAfter"><c>retry-after</c> (whole seconds, rounded up) and <c>retry-after-ms</c>; <see langword="null"/> to send none.</param>
internal sealed record ApiError(int Status, ErrorDetail Detail, bool? ShouldRetry = null, TimeSpan? RetryAfter = null);
