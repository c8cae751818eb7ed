namespace WebApiSample.OpenAIEndpoint;

/// <summary>When the endpoint started: the <c>created</c> time of the aliases it lists, which exist as long as it runs.</summary>
internal sealed class EndpointClock(TimeProvider time)
{
    public long Started { get; } = time.GetUtcNow().ToUnixTimeSeconds();
}
