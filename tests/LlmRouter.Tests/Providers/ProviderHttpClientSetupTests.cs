using System.Net;
using Microsoft.Extensions.Http.Resilience;

namespace LlmRouter.Tests.Providers;

public class ProviderHttpClientSetupTests
{
    private static (HttpClient Client, CountingHandler Handler) Client(ProviderOptions settings, params Exception?[] outcomes)
    {
        var handler = new CountingHandler(outcomes);
        var resilience = new ResilienceHandler(ProviderHttpClientSetup.CreatePipeline(settings)) { InnerHandler = handler };
        return (new HttpClient(resilience), handler);
    }

    [Fact]
    public async Task A_connection_that_could_not_be_opened_is_retried()
    {
        var (client, handler) = Client(new ProviderOptions { ConnectRetries = 2 }, new HttpRequestException(HttpRequestError.ConnectionError, "refused"), null);

        using HttpResponseMessage response = await client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, handler.Calls);
    }

    [Theory]
    [InlineData(HttpRequestError.ResponseEnded)]
    [InlineData(HttpRequestError.Unknown)]
    [InlineData(HttpRequestError.InvalidResponse)]
    public async Task A_request_that_may_have_reached_the_provider_is_never_sent_again(HttpRequestError error)
    {
        var (client, handler) = Client(new ProviderOptions { ConnectRetries = 2 }, new HttpRequestException(error, "broken"), null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}")));

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Error_answers_are_not_retried_at_the_http_level()
    {
        var (client, handler) = Client(new ProviderOptions { ConnectRetries = 2 }, new StatusFailure(HttpStatusCode.TooManyRequests), new StatusFailure(HttpStatusCode.ServiceUnavailable));

        using HttpResponseMessage response = await client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Retries_can_be_turned_off()
    {
        var (client, handler) = Client(new ProviderOptions { ConnectRetries = 0 }, new HttpRequestException(HttpRequestError.ConnectionError, "refused"), null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}")));

        Assert.Equal(1, handler.Calls);
    }

    private sealed class StatusFailure(HttpStatusCode status) : Exception(status.ToString())
    {
        public HttpStatusCode Status { get; } = status;
    }

    private sealed class CountingHandler(Exception?[] outcomes) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Exception? outcome = Calls < outcomes.Length ? outcomes[Calls] : null;
            Calls++;
            return outcome switch
            {
                null => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
                StatusFailure status => Task.FromResult(new HttpResponseMessage(status.Status)),
                _ => Task.FromException<HttpResponseMessage>(outcome),
            };
        }
    }
}
