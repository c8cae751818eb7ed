namespace LlmRouter;

/// <summary>A provider failure, classified.</summary>
public readonly struct ProviderFailure
{
    /// <summary>Initializes a new instance of the <see cref="ProviderFailure"/> struct.</summary>
    /// <param name="errorClass">How the call failed.</param>
    /// <param name="statusCode">The HTTP status, if there was one.</param>
    /// <param name="retryAfter">The wait the provider asked for, if any.</param>
    public ProviderFailure(ErrorClass errorClass, int? statusCode = null, TimeSpan? retryAfter = null)
    {
        ErrorClass = errorClass;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how the call failed.</summary>
    public ErrorClass ErrorClass { get; }

    /// <summary>Gets the HTTP status, if there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the wait the provider asked for (<c>Retry-After</c>), if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
