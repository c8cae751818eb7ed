using System.Net;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Http.Resilience;
using Polly.Timeout;

namespace LlmRouter.Tests.Providers;

public class ProviderHttpClientSetupTests
{
    private static (HttpClient Client, CountingHandler Handler) Client(ProviderOptions settings, params Exception?[] outcomes) =>
        Client(settings, TimeProvider.System, outcomes);

    private static (HttpClient Client, CountingHandler Handler) Client(ProviderOptions settings, TimeProvider time, params Exception?[] outcomes)
    {
        var handler = new CountingHandler(outcomes, time);
        var resilience = new ResilienceHandler(ProviderHttpClientSetup.CreatePipeline(settings, time)) { InnerHandler = handler };
        return (new HttpClient(resilience), handler);
    }

    [Fact]
    public async Task A_connection_that_could_not_be_opened_is_retried_after_a_growing_back_off_on_the_routers_clock()
    {
        SteppedClock time = Routers.Clock();
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var (client, handler) = Client(new ProviderOptions { ConnectRetries = 2 }, time, refused, refused, null);

        using HttpResponseMessage response = await Clocked.RunAsync(
            time, client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}")), TimeSpan.FromMilliseconds(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Calls);

        // Each retry waited on the fake clock — no real time — and exponential back-off (with jitter) waits longer each time.
        TimeSpan first = handler.CalledAt[1] - handler.CalledAt[0];
        TimeSpan second = handler.CalledAt[2] - handler.CalledAt[1];
        Assert.InRange(first, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(second, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task The_attempt_timeout_runs_on_the_routers_clock()
    {
        SteppedClock time = Routers.Clock();
        var (client, _) = Client(new ProviderOptions { Timeout = TimeSpan.FromMinutes(5) }, time, new HangingFailure());

        Task<HttpResponseMessage> call = client.PostAsync(new Uri("http://127.0.0.1:9/v1/chat/completions"), new StringContent("{}"));
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(24 * 60 * 60 * 1000)]
    public void The_timeouts_configuration_allows_are_the_ones_the_pipeline_takes(long milliseconds)
    {
        ProviderHttpClientSetup.CreatePipeline(new ProviderOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) }, TimeProvider.System);

        // One step outside and the pipeline refuses, which is why configuration validation stops such a value at start.
        TimeSpan outside = milliseconds == 10 ? TimeSpan.FromMilliseconds(9) : TimeSpan.FromMilliseconds(milliseconds + 1);
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => ProviderHttpClientSetup.CreatePipeline(new ProviderOptions { Timeout = outside }, TimeProvider.System));
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

    /// <summary>Stands for a provider that never answers.</summary>
    private sealed class HangingFailure() : Exception("hangs");

    private sealed class CountingHandler(Exception?[] outcomes, TimeProvider time) : HttpMessageHandler
    {
        public int Calls => CalledAt.Count;

        public List<DateTimeOffset> CalledAt { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Exception? outcome = Calls < outcomes.Length ? outcomes[Calls] : null;
            CalledAt.Add(time.GetUtcNow());
            return outcome switch
            {
                null => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
                StatusFailure status => Task.FromResult(new HttpResponseMessage(status.Status)),
                HangingFailure => Hang(cancellationToken),
                _ => Task.FromException<HttpResponseMessage>(outcome),
            };
        }

        private static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
