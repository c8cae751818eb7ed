using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Providers;

public class SimulatedChatClientTests
{
    [Fact]
    public async Task It_answers_with_the_configured_number_of_words_and_reports_usage()
    {
        var client = new SimulatedChatClient(Routers.Simulated(configure: p => p.OutputTokens = 7));

        ChatResponse response = await client.GetResponseAsync("Summarize the audit log for March.", new ChatOptions { ModelId = "sim-large" });

        Assert.Equal(7, response.Text.Split(' ').Length);
        Assert.Equal("sim-large", response.ModelId);
        Assert.Equal(7, response.Usage!.OutputTokenCount);
        Assert.Equal(((34 + 3) / 4) + 4, response.Usage.InputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_failures()
    {
        static async Task<string> PatternAsync(int seed)
        {
            var client = new SimulatedChatClient(Routers.Simulated(configure: p =>
            {
                p.FailureRate = 0.4;
                p.Seed = seed;
            }));
            var pattern = new char[40];
            for (int i = 0; i < pattern.Length; i++)
            {
                try
                {
                    await client.GetResponseAsync("hi");
                    pattern[i] = '.';
                }
                catch (SimulatedProviderException)
                {
                    pattern[i] = 'x';
                }
            }

            return new string(pattern);
        }

        string first = await PatternAsync(7);

        Assert.Equal(first, await PatternAsync(7));
        Assert.NotEqual(first, await PatternAsync(8));
        Assert.InRange(first.Count(c => c == 'x'), 6, 26);
    }

    [Theory]
    [InlineData(SimulatedFailureKind.RateLimited, ErrorClass.RateLimited)]
    [InlineData(SimulatedFailureKind.ServerError, ErrorClass.ServerError)]
    [InlineData(SimulatedFailureKind.ServiceUnavailable, ErrorClass.ServerError)]
    [InlineData(SimulatedFailureKind.MalformedResponse, ErrorClass.InvalidResponse)]
    public async Task Each_failure_kind_is_classified_like_the_real_failure(SimulatedFailureKind kind, ErrorClass expected)
    {
        var client = new SimulatedChatClient(Routers.Simulated(configure: p =>
        {
            p.FailureRate = 1;
            p.FailureKind = kind;
        }));

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi"));

        Assert.Equal(expected, ErrorClassification.BuiltIn.Classify(failure).ErrorClass);
    }

    [Fact]
    public async Task A_timeout_waits_for_the_providers_timeout_on_the_given_clock()
    {
        var time = Routers.Clock();
        var client = new SimulatedChatClient(Routers.Simulated(configure: p =>
        {
            p.FailureRate = 1;
            p.FailureKind = SimulatedFailureKind.Timeout;
            p.Timeout = TimeSpan.FromSeconds(30);
        }), time);

        Task<ChatResponse> call = client.GetResponseAsync("hi");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => call);
    }

    [Fact]
    public async Task Latency_and_chunk_delay_run_on_the_given_clock()
    {
        var time = Routers.Clock();
        var client = new SimulatedChatClient(Routers.Simulated(configure: p =>
        {
            p.Latency = TimeSpan.FromMilliseconds(200);
            p.ChunkDelay = TimeSpan.FromMilliseconds(20);
            p.OutputTokens = 3;
        }), time);

        await using IAsyncEnumerator<ChatResponseUpdate> stream = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        ValueTask<bool> first = stream.MoveNextAsync();
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await first);

        List<ChatResponseUpdate> rest = await Clocked.ReadAllAsync(time, Rest(stream), TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, rest.Count);
        Assert.Equal(3, rest[^1].Contents.OfType<UsageContent>().Single().Details.OutputTokenCount);

        static async IAsyncEnumerable<ChatResponseUpdate> Rest(IAsyncEnumerator<ChatResponseUpdate> stream)
        {
            while (await stream.MoveNextAsync())
            {
                yield return stream.Current;
            }
        }
    }

    [Fact]
    public async Task Usage_can_be_left_out_to_simulate_a_provider_that_sends_none()
    {
        var client = new SimulatedChatClient(Routers.Simulated(configure: p => p.ReportUsage = false));

        ChatResponse streamed = await client.GetStreamingResponseAsync("hi").ToChatResponseAsync();

        Assert.Null((await client.GetResponseAsync("hi")).Usage);
        Assert.Null(streamed.Usage);
    }
}
