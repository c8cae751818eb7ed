namespace LlmRouter;

/// <summary>The failure a <see cref="SimulatedChatClient"/> throws, shaped like the HTTP error a real provider would return.</summary>
public sealed class SimulatedProviderException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SimulatedProviderException"/> class.</summary>
    /// <param name="statusCode">The simulated HTTP status.</param>
    /// <param name="message">The simulated error message.</param>
    /// <param name="retryAfter">The simulated <c>Retry-After</c>, if any.</param>
    public SimulatedProviderException(int statusCode, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the simulated HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the simulated <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }
}
