namespace LlmRouter.Tests.Support;

/// <summary>
/// One scripted answer of an <see cref="OpenAIWireServer"/>. Build it with the factory methods and adjust it with
/// <c>with</c>: <c>WireBehavior.Reply("hi") with { Delay = TimeSpan.FromSeconds(2) }</c>.
/// </summary>
/// <remarks>
/// A reply follows the request: a request with <c>"stream": true</c> gets server-sent events, any other a JSON object.
/// <see cref="Delay"/> and <see cref="Headers"/> apply to every kind.
/// </remarks>
public sealed record WireBehavior
{
    /// <summary>The text a reply sends unless told otherwise.</summary>
    public const string DefaultText = "Hello from the wire.";

    /// <summary>Gets what the server does.</summary>
    public WireBehaviorKind Kind { get; init; }

    /// <summary>Gets the assistant's text of a reply.</summary>
    public string Text { get; init; } = DefaultText;

    /// <summary>Gets the content deltas of a streamed reply, or <see langword="null"/> to split <see cref="Text"/> into words.</summary>
    public IReadOnlyList<string>? Chunks { get; init; }

    /// <summary>Gets the usage a reply reports, or <see langword="null"/> to report none (as some OpenAI-compatible servers do).</summary>
    public WireUsage? Usage { get; init; } = WireUsage.Default;

    /// <summary>Gets the <c>finish_reason</c> of a reply.</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>Gets the <c>model</c> the answer names, or <see langword="null"/> to echo the request's.</summary>
    public string? Model { get; init; }

    /// <summary>Gets how long the server waits before it sends the status line and headers.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Gets how long the server waits between two stream frames.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Gets the tool call a JSON reply makes instead of answering with text (<c>finish_reason</c> <c>tool_calls</c>), or <see langword="null"/>.</summary>
    public WireToolCall? ToolCall { get; init; }

    /// <summary>Gets the HTTP status of an error.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Gets the <c>error.message</c> of an error.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the <c>error.type</c> of an error.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the <c>error.param</c> of an error.</summary>
    public string? ErrorParam { get; init; }

    /// <summary>Gets the <c>error.code</c> of an error.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets how many stream frames (the role frame counts as the first) are sent before the connection drops or stalls.</summary>
    public int AfterChunks { get; init; }

    /// <summary>Gets extra response headers, for example <c>retry-after</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A successful answer.</summary>
    /// <param name="text">The assistant's text.</param>
    /// <param name="usage">The usage to report; <see cref="WireUsage.Default"/> when omitted.</param>
    /// <param name="delay">How long to wait before answering.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior Reply(string text = DefaultText, WireUsage? usage = null, TimeSpan delay = default) =>
        new() { Kind = WireBehaviorKind.Reply, Text = text, Usage = usage ?? WireUsage.Default, Delay = delay };

    /// <summary>A JSON answer that calls a tool, as OpenAI sends it: no content, one <c>tool_calls</c> entry.</summary>
    /// <param name="name">The function's name.</param>
    /// <param name="arguments">The arguments, as the JSON text OpenAI sends in <c>function.arguments</c>.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior CallTool(string name, string arguments) =>
        new() { Kind = WireBehaviorKind.Reply, ToolCall = new WireToolCall("call_wire0001", name, arguments), FinishReason = "tool_calls" };

    /// <summary>An error exactly as OpenAI sends it: the status and <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="code">The <c>error.code</c>.</param>
    /// <param name="message">The <c>error.message</c>.</param>
    /// <param name="type">The <c>error.type</c>.</param>
    /// <param name="param">The <c>error.param</c>.</param>
    /// <param name="headers">Extra response headers.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior Error(int statusCode, string? code, string message, string? type = "invalid_request_error", string? param = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new()
        {
            Kind = WireBehaviorKind.Error,
            StatusCode = statusCode,
            ErrorCode = code,
            ErrorMessage = message,
            ErrorType = type,
            ErrorParam = param,
            Headers = headers ?? new Dictionary<string, string>(),
        };

    /// <summary>A 429 as OpenAI sends it, with <c>retry-after</c> (whole seconds) and <c>retry-after-ms</c> when a wait is given.</summary>
    /// <param name="retryAfter">The wait to ask for, or <see langword="null"/> to send no retry header.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior RateLimited(TimeSpan? retryAfter = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (retryAfter is { } wait)
        {
            headers["retry-after"] = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["retry-after-ms"] = ((long)wait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Error(
            429,
            "rate_limit_exceeded",
            "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again later.",
            type: "requests",
            headers: headers);
    }

    /// <summary>A 500 as OpenAI sends it.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior ServerError() =>
        Error(500, null, "The server had an error while processing your request. Sorry about that!", type: "server_error");

    /// <summary>A 503 as OpenAI sends it when overloaded.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior ServiceUnavailable() =>
        Error(503, null, "The engine is currently overloaded, please try again later.", type: "server_error");

    /// <summary>A 400 for a request the provider will not accept.</summary>
    /// <param name="message">The <c>error.message</c>.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior BadRequest(string message = "Invalid value for 'temperature': must be between 0 and 2.") =>
        Error(400, "invalid_value", message, param: "temperature");

    /// <summary>A 401 for a wrong API key.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior Unauthorized() =>
        Error(401, "invalid_api_key", "Incorrect API key provided.");

    /// <summary>OpenAI's 400 for a request longer than the model's context window.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior ContextLengthExceeded() =>
        Error(
            400,
            "context_length_exceeded",
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
            param: "messages");

    /// <summary>Azure OpenAI's 400 for a prompt its content filter refused.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior ContentFiltered() =>
        Error(
            400,
            "content_filter",
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
            type: null,
            param: "prompt");

    /// <summary>Never answers; the client's timeout ends the request.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior Hang() => new() { Kind = WireBehaviorKind.Hang };

    /// <summary>Starts a 200 answer, then drops the connection.</summary>
    /// <param name="chunks">The stream frames sent first (the role frame counts); ignored for a JSON answer, which is cut in half.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior AbortAfter(int chunks) => new() { Kind = WireBehaviorKind.AbortAfter, AfterChunks = chunks };

    /// <summary>Starts a 200 answer, then sends nothing more until the client gives up.</summary>
    /// <param name="chunks">The stream frames sent first (the role frame counts); ignored for a JSON answer, which stalls half-way.</param>
    /// <returns>The behaviour.</returns>
    public static WireBehavior StallAfter(int chunks) => new() { Kind = WireBehaviorKind.StallAfter, AfterChunks = chunks };

    /// <summary>Answers 200 with a body that is not valid JSON.</summary>
    /// <returns>The behaviour.</returns>
    public static WireBehavior MalformedJson() => new() { Kind = WireBehaviorKind.MalformedJson };

    /// <summary>Names the behaviour briefly, as test runners show theory arguments.</summary>
    /// <returns>For example <c>Error 429 rate_limit_exceeded</c> or <c>StallAfter(2)</c>.</returns>
    public override string ToString() => Kind switch
    {
        WireBehaviorKind.Error => $"Error {StatusCode} {ErrorCode ?? ErrorType}",
        WireBehaviorKind.AbortAfter or WireBehaviorKind.StallAfter => $"{Kind}({AfterChunks})",
        _ => Kind.ToString(),
    };
}
