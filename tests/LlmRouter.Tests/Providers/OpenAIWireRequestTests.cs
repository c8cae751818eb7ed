using System.Text.Json;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Providers;

/// <summary>What the OpenAI-family providers actually put on the wire.</summary>
public sealed class OpenAIWireRequestTests
{
    [Fact]
    public async Task The_wire_request_names_the_deployments_provider_model_not_the_alias()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("openai", WireProviders.OpenAI(server), "gpt-4o-2024-08-06")));

        ChatResponse response = await router.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "chat", Temperature = 0.2f });

        WireRequest request = Assert.Single(server.Requests);
        Assert.Equal("gpt-4o-2024-08-06", request.Model);
        Assert.False(request.IsStreaming);
        JsonElement message = Assert.Single(request.Body!.Value.GetProperty("messages").EnumerateArray());
        Assert.Equal(("user", "hi"), (message.GetProperty("role").GetString(), message.GetProperty("content").GetString()));
        Assert.Equal(0.2, request.Body.Value.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal("gpt-4o-2024-08-06", response.ModelId);
        Assert.Equal(("chat", "gpt-4o-2024-08-06"), (response.GetRouteInfo()!.ServedModel, response.GetRouteInfo()!.ProviderModel));
    }

    [Fact]
    public async Task The_callers_options_are_not_changed_by_routing()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("openai", WireProviders.OpenAI(server), "gpt-4o-2024-08-06")));
        var options = new ChatOptions { ModelId = "chat" };

        await router.GetResponseAsync("hi", options);
        await router.GetStreamingResponseAsync("hi", options).ToChatResponseAsync();

        Assert.Equal("chat", options.ModelId);
        Assert.All(server.Requests, r => Assert.Equal("gpt-4o-2024-08-06", r.Model));
    }

    [Fact]
    public async Task Streaming_requests_ask_the_provider_to_include_usage()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("openai", WireProviders.OpenAI(server), "gpt-4o-mini")));

        await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync();

        WireRequest request = Assert.Single(server.Requests);
        Assert.True(request.IsStreaming);
        Assert.True(request.IncludesUsage);
        Assert.Equal("gpt-4o-mini", request.Model);
    }

    [Fact]
    public async Task The_SDKs_own_retries_are_off_so_each_deployment_is_called_once()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.RateLimited(retryAfter: TimeSpan.FromMilliseconds(1)));
        secondary.RespondWith(WireBehavior.ServiceUnavailable());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hi", new ChatOptions { ModelId = "primary" }));

        Assert.Equal(1, primary.RequestCount);
        Assert.Equal(1, secondary.RequestCount);
    }

    [Fact]
    public async Task The_OpenAI_kind_sends_its_key_as_a_bearer_token()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("openai", WireProviders.OpenAI(server), "gpt-4o")));

        await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });

        WireRequest request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/chat/completions"), (request.Method, request.Path));
        Assert.Equal("Bearer " + WireProviders.ApiKey, request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("openai/v1/")]
    public async Task The_Azure_kind_calls_the_v1_path_with_an_api_key_header_and_no_authorization_header(string endpointPath)
    {
        await using var server = await OpenAIWireServer.StartAsync();
        ProviderOptions azure = WireProviders.Azure(server);
        azure.Endpoint = new Uri(server.BaseAddress, endpointPath);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("azure", azure, "my-gpt-4o-deployment")));

        await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });
        await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync();

        Assert.Equal(2, server.RequestCount);
        Assert.All(server.Requests, request =>
        {
            Assert.Equal("/openai/v1/chat/completions", request.Path);
            Assert.Equal(WireProviders.ApiKey, request.Header("api-key"));
            Assert.Null(request.Header("Authorization"));
            Assert.Equal("my-gpt-4o-deployment", request.Model);
        });
    }

    [Fact]
    public async Task An_OpenAI_compatible_provider_without_an_api_key_works()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        ProviderOptions local = WireProviders.Compatible(server);
        Assert.Null(local.ApiKey);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("vllm", local, "meta-llama/Llama-3.1-8B-Instruct")));

        ChatResponse response = await router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });
        ChatResponse streamed = await router.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "chat" }).ToChatResponseAsync();

        Assert.Equal(WireBehavior.DefaultText, response.Text);
        Assert.Equal(WireBehavior.DefaultText, streamed.Text);
        Assert.Equal(("vllm", "local"), (response.GetRouteInfo()!.Provider, response.GetRouteInfo()!.Region));
        Assert.All(server.Requests, r => Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", r.Model));
        Assert.All(server.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task A_router_registered_with_AddLlmRouter_calls_the_provider_over_HTTP()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLlmRouter(options =>
        {
            options.Providers["openai"] = WireProviders.OpenAI(server);
            options.Models["chat"] = WireProviders.Alias("openai", "gpt-4o");
            Routers.OpenAccess(options);
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient chat = provider.GetRequiredService<IChatClient>();

        ChatResponse response = await chat.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" });

        Assert.Equal(WireBehavior.DefaultText, response.Text);
        Assert.Equal("openai", response.GetRouteInfo()!.Provider);
        Assert.Equal("gpt-4o", Assert.Single(server.Requests).Model);
    }

    [Fact]
    public async Task A_provider_error_quoting_the_api_key_reaches_the_route_redacted()
    {
        const string AzureKey = "0123456789abcdef0123456789abcdef";
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Error(401, "invalid_api_key", $"Incorrect API key provided: {AzureKey}.", type: "invalid_request_error"));
        ProviderOptions azure = WireProviders.Azure(server);
        azure.ApiKey = AzureKey;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(OneAlias("azure", azure, "gpt-4o")));

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" }));

        Assert.Equal(ErrorClass.Authentication, failure.ErrorClass);
        Assert.DoesNotContain(AzureKey, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureKey, failure.Attempt.Error, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", failure.Attempt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureKey, failure.Route!.ToString(), StringComparison.Ordinal);
    }

    private static LlmRouterOptions OneAlias(string provider, ProviderOptions settings, string providerModel)
    {
        var options = new LlmRouterOptions();
        options.Providers[provider] = settings;
        options.Models["chat"] = WireProviders.Alias(provider, providerModel);
        return options;
    }
}
