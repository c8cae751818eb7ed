using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Providers;

/// <summary>The provider's API key goes on the wire, below the HTTP client factory's loggers, and nowhere else.</summary>
public sealed class ProviderCredentialHandlerTests
{
    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.AzureOpenAI)]
    public async Task The_api_key_reaches_the_provider_and_no_log_record_even_at_trace_level(ProviderKind kind)
    {
        await using var server = await OpenAIWireServer.StartAsync();
        var options = new LlmRouterOptions();
        options.Providers["p"] = kind == ProviderKind.AzureOpenAI ? WireProviders.Azure(server) : WireProviders.OpenAI(server);
        options.Models["chat"] = WireProviders.Alias("p", "gpt-wire");
        await using LlmRouterClient router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b
            .Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));

        await router.GetResponseAsync("hi", Routers.For("chat"));

        WireRequest request = Assert.Single(server.Requests);
        Assert.Equal(
            kind == ProviderKind.AzureOpenAI ? (WireProviders.ApiKey, (string?)null) : ((string?)null, "Bearer " + WireProviders.ApiKey),
            (request.Header("api-key"), request.Header("Authorization")));
        IReadOnlyList<FakeLogRecord> records = router.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Category is { } category && category.StartsWith("System.Net.Http.HttpClient.", StringComparison.Ordinal) && r.Level == LogLevel.Trace);
        foreach (FakeLogRecord record in records)
        {
            Assert.DoesNotContain(WireProviders.ApiKey, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(WireProviders.ApiKey, string.Join(";", record.StructuredState ?? []), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_rotated_key_is_sent_from_the_first_request_after_the_reload()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:p:Kind"] = "OpenAI",
            ["LlmRouter:Providers:p:Region"] = "eu",
            ["LlmRouter:Providers:p:Endpoint"] = server.Endpoint.ToString(),
            ["LlmRouter:Providers:p:ApiKey"] = "sk-before-rotation-111",
            ["LlmRouter:Models:chat:Deployments:0:Provider"] = "p",
            ["LlmRouter:Models:chat:Deployments:0:Model"] = "gpt-wire",
        })).Build();
        await using LlmRouterClient router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"));

        await router.GetResponseAsync("hi", Routers.For("chat"));
        configuration["LlmRouter:Providers:p:ApiKey"] = "sk-after-rotation-222";
        configuration.Reload();
        await router.GetResponseAsync("hi", Routers.For("chat"));

        Assert.Equal(["Bearer sk-before-rotation-111", "Bearer sk-after-rotation-222"], server.Requests.Select(r => r.Header("Authorization")));
    }
}
