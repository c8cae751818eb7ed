using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Bounds a non-streamed call to an HTTP provider by <see cref="ProviderOptions.Timeout"/> until its whole response is
/// read. The HTTP timeout ends with the response headers (the SDK reads the body afterwards), so a body that stalls
/// after them would otherwise hang the call for ever. Streams pass through: the routing layer's stream timeouts bound them.
/// </summary>
internal sealed class ResponseTimeoutChatClient : DelegatingChatClient
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public ResponseTimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider timeProvider)
        : base(innerClient)
    {
        _timeout = timeout;
        _time = timeProvider;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Reported as a timeout, not a cancellation: the caller did not cancel, and the fallback layer moves on.
            throw new TimeoutException($"The provider did not send its whole response within its timeout of {_timeout}.", ex);
        }
    }
}
