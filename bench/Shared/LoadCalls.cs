using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace LlmRouter.Bench;

/// <summary>The calls a load run makes: one chat request to a client, answered in one piece or streamed.</summary>
internal static class LoadCalls
{
    /// <summary>A call answered in one piece.</summary>
    /// <param name="client">The client called.</param>
    /// <param name="messages">The prompt, shared by every call.</param>
    /// <param name="options">The options, shared by every call (the router never changes the caller's instance).</param>
    /// <returns>The call.</returns>
    public static LoadCall Complete(IChatClient client, ChatMessage[] messages, ChatOptions options) => async () =>
    {
        await client.GetResponseAsync(messages, options);
        return 0;
    };

    /// <summary>A streamed call, read to its end; it reports when the first update carrying text arrived.</summary>
    /// <param name="client">The client called.</param>
    /// <param name="messages">The prompt, shared by every call.</param>
    /// <param name="options">The options, shared by every call.</param>
    /// <returns>The call.</returns>
    public static LoadCall Streamed(IChatClient client, ChatMessage[] messages, ChatOptions options) => async () =>
    {
        long firstToken = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options))
        {
            if (firstToken == 0 && HasText(update))
            {
                firstToken = Stopwatch.GetTimestamp();
            }
        }

        return firstToken;
    };

    private static bool HasText(ChatResponseUpdate update)
    {
        // Indexing, not foreach or update.Text: neither allocates.
        IList<AIContent> contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent { Text.Length: > 0 })
            {
                return true;
            }
        }

        return false;
    }
}
