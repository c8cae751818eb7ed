namespace WebApiSample.OpenAIEndpoint;

/// <summary>A request the endpoint cannot accept as it is: answered 400 with OpenAI's <c>invalid_request_error</c>.</summary>
/// <param name="message">What is wrong, for the caller. Never quotes secrets.</param>
/// <param name="param">The request field at fault, e.g. <c>messages[2].role</c>, or <see langword="null"/>.</param>
/// <param name="code">A machine-readable code, or <see langword="null"/>.</param>
internal sealed class InvalidRequestException(string message, string? param, string? code = null) : Exception(message)
{
    public string? Param { get; } = param;

    public string? Code { get; } = code;
}
