using System.Text.Json;
using LlmRouter;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// <c>POST /v1/chat/completions</c>: an OpenAI request, served by LlmRouter under the caller's virtual key, answered in
/// OpenAI's wire format — a JSON completion, or a server-sent-event stream.
/// </summary>
internal static partial class ChatCompletionsEndpoint
{
    /// <summary>The tag on every request made through this endpoint, in the route and the audit log; a second tag names the client (<c>client:acme-chat</c>).</summary>
    public const string Tag = "openai-endpoint";

    public static async Task HandleAsync(HttpContext http, IChatClient chat, ILogger logger)
    {
        ApiCaller caller = http.Features.GetRequiredFeature<ApiCaller>();
        ChatCompletionRequest request;
        try
        {
            request = ChatCompletionRequest.Read(await BinaryData.FromStreamAsync(http.Request.Body, http.RequestAborted));
        }
        catch (InvalidRequestException invalid)
        {
            await OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.InvalidRequest(invalid), route: null);
            return;
        }

        // The route exists from the moment the request enters the router: its id is the audit record's, sent as
        // x-request-id before the first token of a stream.
        RouteInfo? route = null;
        request.Options.OnRouteStarted(started => route = started);
        using IDisposable scope = RouterContext.Begin(caller.Key, request.User, [Tag, "client:" + caller.Client]);
        try
        {
            if (request.Stream)
            {
                await StreamAsync(http, chat, request, () => route, logger);
            }
            else
            {
                await CompleteAsync(http, chat, request, logger);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; LlmRouter recorded the request as cancelled.
        }
        catch (Exception unexpected) when (!http.Response.HasStarted)
        {
            Log.Failed(logger, unexpected, route?.RequestId);
            await OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.Unexpected(), route);
        }
    }

    private static async Task CompleteAsync(HttpContext http, IChatClient chat, ChatCompletionRequest request, ILogger logger)
    {
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(request.Messages, request.Options, http.RequestAborted);
        }
        catch (LlmRouterException refusal)
        {
            await RefuseAsync(http, refusal, logger);
            return;
        }

        RouteInfo route = response.GetRouteInfo()!;
        List<ToolCallBody>? toolCalls = ToolCalls(response.Messages.SelectMany(m => m.Contents), streamIndex: null);
        string text = response.Text;
        var body = new ChatCompletionBody(
            CompletionId(route),
            route.StartedAt.ToUnixTimeSeconds(),
            route.ServedModel ?? request.Model,
            [new CompletionChoice(0, new AssistantMessage(text.Length == 0 && toolCalls is not null ? null : text, toolCalls), FinishReason(response.FinishReason, toolCalls is not null))],
            Usage(route));

        OpenAIResponses.SetRequestId(http.Response, route);
        await http.Response.WriteAsJsonAsync(body, OpenAIJsonContext.Wire.ChatCompletionBody, "application/json", http.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext http, IChatClient chat, ChatCompletionRequest request, Func<RouteInfo?> started, ILogger logger)
    {
        await using IAsyncEnumerator<ChatResponseUpdate> updates = chat
            .GetStreamingResponseAsync(request.Messages, request.Options, http.RequestAborted)
            .GetAsyncEnumerator(http.RequestAborted);

        // Refusals and failures before the first update are answered with their status, like any other request.
        bool more;
        try
        {
            more = await updates.MoveNextAsync();
        }
        catch (LlmRouterException refusal)
        {
            await RefuseAsync(http, refusal, logger);
            return;
        }

        RouteInfo route = started()!;
        OpenAIResponses.SetRequestId(http.Response, route);
        ServerSentEvents events = await ServerSentEvents.StartAsync(http);

        // The deployment serving a stream is fixed once its first update has arrived: fallback never switches a started stream.
        string id = CompletionId(route);
        long created = route.StartedAt.ToUnixTimeSeconds();
        string model = route.ServedModel ?? request.Model;

        // With include_usage, OpenAI sends "usage": null on every chunk before the usage chunk; without it, no usage at all.
        ChunkUsage usage = ChunkUsage.For(request.IncludeUsage);
        await events.WriteAsync(Chunk(id, created, model, new DeltaBody(Role: "assistant", Content: string.Empty), finishReason: null, usage), OpenAIJsonContext.Wire.ChatCompletionChunkBody);

        ChatFinishReason? finish = null;
        int toolCallCount = 0;
        RouteInfo? completed = null;
        while (more)
        {
            ChatResponseUpdate update = updates.Current;
            if (update.GetRouteInfo() is { } last)
            {
                // LlmRouter's last update carries the finished route and nothing else: it is not a frame.
                completed = last;
            }
            else
            {
                finish = update.FinishReason ?? finish;
                string text = update.Text;
                List<ToolCallBody>? toolCalls = ToolCalls(update.Contents, toolCallCount);
                toolCallCount += toolCalls?.Count ?? 0;
                if (text.Length > 0 || toolCalls is not null)
                {
                    await events.WriteAsync(Chunk(id, created, model, new DeltaBody(Content: text.Length > 0 ? text : null, ToolCalls: toolCalls), finishReason: null, usage), OpenAIJsonContext.Wire.ChatCompletionChunkBody);
                }
            }

            try
            {
                more = await updates.MoveNextAsync();
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
            {
                // The status line is gone: report the failure as OpenAI does mid-stream, as an error event, and end.
                ApiError error;
                if (failure is LlmRouterException known)
                {
                    // Only the reason: a provider's own error, inside the exception, can quote part of a credential.
                    error = OpenAIErrors.For(known);
                    Log.StreamFailed(logger, known.ReasonCode, route.RequestId);
                }
                else
                {
                    error = OpenAIErrors.Unexpected();
                    Log.Failed(logger, failure, route.RequestId);
                }

                await events.WriteAsync(new ErrorBody(error.Detail), OpenAIJsonContext.Wire.ErrorBody);
                return;
            }
        }

        await events.WriteAsync(Chunk(id, created, model, new DeltaBody(), FinishReason(finish, toolCallCount > 0), usage), OpenAIJsonContext.Wire.ChatCompletionChunkBody);
        if (request.IncludeUsage)
        {
            await events.WriteAsync(new ChatCompletionChunkBody(id, created, model, [], ChunkUsage.Of(Usage(completed ?? route))), OpenAIJsonContext.Wire.ChatCompletionChunkBody);
        }

        await events.WriteDoneAsync();
    }

    private static Task RefuseAsync(HttpContext http, LlmRouterException refusal, ILogger logger)
    {
        ApiError error = OpenAIErrors.For(refusal);
        Log.Refused(logger, refusal.ReasonCode, error.Status, refusal.Route?.RequestId);
        return OpenAIResponses.WriteErrorAsync(http, error, refusal.Route);
    }

    private static ChatCompletionChunkBody Chunk(string id, long created, string model, DeltaBody delta, string? finishReason, ChunkUsage usage) =>
        new(id, created, model, [new ChunkChoice(0, delta, finishReason)], usage);

    private static string CompletionId(RouteInfo route) => "chatcmpl-" + route.RequestId.ToString("N");

    /// <summary>
    /// OpenAI's usage from the route's normalized tokens — every token the request used, across its attempts: the
    /// prompt counts cached and cache-write tokens, the completion counts reasoning tokens.
    /// </summary>
    private static UsageBody Usage(RouteInfo route)
    {
        TokenUsage tokens = route.Tokens;
        return new UsageBody(
            tokens.TotalInputTokens,
            tokens.TotalOutputTokens,
            tokens.TotalTokens,
            new PromptTokensDetails(tokens.CachedInputTokens),
            new CompletionTokensDetails(tokens.ReasoningTokens));
    }

    private static string FinishReason(ChatFinishReason? reason, bool calledTools)
    {
        if (reason is not ChatFinishReason known)
        {
            return calledTools ? "tool_calls" : "stop";
        }

        return known == ChatFinishReason.Stop ? "stop"
            : known == ChatFinishReason.Length ? "length"
            : known == ChatFinishReason.ToolCalls ? "tool_calls"
            : known == ChatFinishReason.ContentFilter ? "content_filter"
            : known.Value;
    }

    /// <summary>The tool calls among the contents, or <see langword="null"/> when there are none; in a stream each gets its index.</summary>
    private static List<ToolCallBody>? ToolCalls(IEnumerable<AIContent> contents, int? streamIndex)
    {
        List<ToolCallBody>? calls = null;
        foreach (AIContent content in contents)
        {
            if (content is FunctionCallContent call)
            {
                calls ??= [];
                string arguments = call.Arguments is null
                    ? "{}"
                    : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
                calls.Add(new ToolCallBody(streamIndex is int first ? first + calls.Count : null, call.CallId, new FunctionCallBody(call.Name, arguments)));
            }
        }

        return calls;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Chat completion refused: {ReasonCode}, answered {Status} (request {RequestId}).")]
        public static partial void Refused(ILogger logger, string reasonCode, int status, Guid? requestId);

        [LoggerMessage(2, LogLevel.Warning, "Chat completion stream failed after it had started: {ReasonCode} (request {RequestId}).")]
        public static partial void StreamFailed(ILogger logger, string reasonCode, Guid requestId);

        [LoggerMessage(3, LogLevel.Error, "Chat completion failed unexpectedly (request {RequestId}).")]
        public static partial void Failed(ILogger logger, Exception exception, Guid? requestId);
    }
}
