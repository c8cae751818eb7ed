namespace LlmRouter.Tests.Support;

/// <summary>What an <see cref="OpenAIWireServer"/> does with one request.</summary>
public enum WireBehaviorKind
{
    /// <summary>Answers with a <c>chat.completion</c> object, or a stream of <c>chat.completion.chunk</c> frames when the request asks to stream.</summary>
    Reply,

    /// <summary>Answers with an HTTP error status and OpenAI's <c>{"error": {...}}</c> body.</summary>
    Error,

    /// <summary>Never answers: waits until the client gives up or the server stops.</summary>
    Hang,

    /// <summary>Starts the answer (status 200, the first frames of a stream or half of a JSON body), then drops the connection.</summary>
    AbortAfter,

    /// <summary>Starts the answer (status 200, the first frames of a stream or half of a JSON body), then goes silent until the client gives up.</summary>
    StallAfter,

    /// <summary>Answers status 200 with a body that is not valid JSON (or, for a stream, a frame that is not).</summary>
    MalformedJson,
}
