using LlmRouter;
using Microsoft.Extensions.AI;
using WebApiSample.OpenAIEndpoint;

namespace WebApiSample.InProcess;

/// <summary>
/// <c>POST /internal/summarize</c>: the application's own .NET code calling LlmRouter in process — the same
/// <see cref="IChatClient"/>, keys, limits, budgets and audit log as the OpenAI-compatible endpoint, without HTTP in between.
/// </summary>
internal static class SummarizeEndpoint
{
    /// <summary>The virtual key the back office's own requests are made with.</summary>
    public const string Key = "back-office";

    /// <summary>The alias it asks for.</summary>
    public const string Model = "summarizer";

    /// <summary>The tag on its requests, in the route and the audit log.</summary>
    public const string Tag = "in-process";

    public static async Task<IResult> HandleAsync(SummarizeRequest request, IChatClient chat, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return Results.BadRequest(new SummaryProblem("'text' is required."));
        }

        ChatOptions options = new ChatOptions { ModelId = Model, MaxOutputTokens = 200 }.WithRouterKey(Key);
        using IDisposable scope = RouterContext.Begin(key: null, user: request.User, tags: [Tag]);
        try
        {
            ChatResponse response = await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.System, "Summarize the text in two sentences."), new ChatMessage(ChatRole.User, request.Text)],
                options,
                cancellationToken);
            RouteInfo route = response.GetRouteInfo()!;
            return Results.Ok(new SummaryResult(response.Text, route.RequestId, route.ServedModel, route.Provider, route.Region, route.Tokens.TotalInputTokens, route.Tokens.TotalOutputTokens, route.Cost));
        }
        catch (LlmRouterException refusal)
        {
            // The same statuses as the OpenAI-compatible endpoint: a budget refusal is a 429 here too.
            int status = OpenAIErrors.For(refusal).Status;
            return Results.Json(new SummaryProblem(refusal.Message, refusal.ReasonCode, refusal.Route?.RequestId), InProcessJsonContext.Default.SummaryProblem, statusCode: status);
        }
    }
}

/// <summary>What to summarize, and for whom (recorded as the audit record's user).</summary>
internal sealed record SummarizeRequest(string? Text, string? User);

/// <summary>The summary and where it came from: the request id is the audit record's.</summary>
internal sealed record SummaryResult(string Summary, Guid RequestId, string? ServedModel, string? Provider, string? Region, long InputTokens, long OutputTokens, decimal? Cost);

/// <summary>Why there is no summary.</summary>
internal sealed record SummaryProblem(string Error, string? ReasonCode = null, Guid? RequestId = null);
