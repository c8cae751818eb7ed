namespace LlmRouter;

/// <summary>
/// A provider call failed in a way LlmRouter does not retry elsewhere — authentication or a malformed request, a
/// content filter with no content-policy fallback, or a stream that failed after output had reached the caller.
/// Reason code <c>provider_error</c>.
/// </summary>
/// <remarks>
/// The message names the deployment and the classification only; the provider's own error, which can quote parts of a
/// credential, is in <see cref="Exception.InnerException"/> and, with secrets redacted, in <see cref="RouteAttempt.Error"/>.
/// </remarks>
public sealed class ProviderException : LlmRouterException
{
    internal ProviderException(RouteInfo route, RouteAttempt attempt, Exception innerException)
        : base(ReasonCodes.ProviderError, Describe(attempt), route, innerException)
    {
        Attempt = attempt;
    }

    /// <summary>Gets the failed attempt.</summary>
    public RouteAttempt Attempt { get; }

    /// <summary>Gets how the provider failed.</summary>
    public ErrorClass ErrorClass => Attempt.ErrorClass;

    /// <summary>Gets the provider's HTTP status, if any.</summary>
    public int? StatusCode => Attempt.StatusCode;

    /// <summary>Gets whether the stream had already passed output to the caller.</summary>
    public bool OutputStarted => Attempt.OutputStarted;

    private static string Describe(RouteAttempt attempt) =>
        $"Provider '{attempt.Provider}' ({attempt.ProviderModel}) failed for '{attempt.Model}': {attempt.ErrorClass}" +
        (attempt.StatusCode is int status ? $" ({status})" : string.Empty) +
        (attempt.OutputStarted ? " after the stream had started." : ".");
}
