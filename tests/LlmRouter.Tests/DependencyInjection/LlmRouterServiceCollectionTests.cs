using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmRouter.Tests.DependencyInjection;

public class LlmRouterServiceCollectionTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["LlmRouter:Providers:local:Kind"] = "Simulated",
        ["LlmRouter:Providers:local:Region"] = "eu",
        ["LlmRouter:Providers:claude:Kind"] = "Custom",
        ["LlmRouter:Providers:claude:Region"] = "ch",
        ["LlmRouter:Models:fast:Deployments:0:Provider"] = "local",
        ["LlmRouter:Models:fast:Deployments:0:Model"] = "sim",
        ["LlmRouter:Models:careful:Deployments:0:Provider"] = "claude",
        ["LlmRouter:Models:careful:Deployments:0:Model"] = "claude-haiku",
    };

    [Fact]
    public async Task AddLlmRouter_registers_the_router_as_the_applications_chat_client()
    {
        var claude = new ScriptedChatClient();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Routers.OpenAccess(Settings));
        builder.Services.AddLlmRouter(builder.Configuration.GetSection("LlmRouter")).AddProvider("claude", _ => claude);
        using IHost host = builder.Build();
        await host.StartAsync();

        IChatClient chat = host.Services.GetRequiredService<IChatClient>();
        ChatResponse fast = await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "fast" });
        ChatResponse careful = await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "careful" });

        Assert.Equal("local", fast.GetRouteInfo()!.Provider);
        Assert.Equal("claude", careful.GetRouteInfo()!.Provider);
        Assert.Equal("ch", careful.GetRouteInfo()!.Region);
        Assert.Equal("claude-haiku", Assert.Single(claude.SeenOptions)!.ModelId);
        Assert.NotNull(chat.GetService<FallbackChatClient>());
        Assert.NotNull(chat.GetService<ModelRoutingChatClient>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Middleware_placed_between_the_router_and_its_providers_sees_every_attempt()
    {
        var attempts = new List<string?>();
        var services = new ServiceCollection();
        services.AddLlmRouter(o =>
        {
            o.Providers["flaky"] = Routers.Simulated(configure: p => p.FailureRate = 1);
            o.Providers["steady"] = Routers.Simulated();
            o.Models["a"] = Routers.Model(("flaky", "sim-a"));
            o.Models["a"].Fallbacks = ["b"];
            o.Models["b"] = Routers.Model(("steady", "sim-b"));
            Routers.OpenAccess(o);
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient chat = new ChatClientBuilder(provider.GetRequiredService<ProviderDispatchChatClient>())
            .UseLlmRouter()
            .Use((messages, options, next, cancellationToken) =>
            {
                attempts.Add(options?.ModelId);
                return next(messages, options, cancellationToken);
            })
            .Build(provider);

        await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "a" });

        Assert.Equal(["sim-a", "sim-b"], attempts);
    }

    [Fact]
    public async Task Any_chat_client_can_be_wrapped_and_then_serves_every_deployment()
    {
        var services = new ServiceCollection();
        services.AddLlmRouter(o =>
        {
            o.Providers["openai"] = new ProviderOptions { Kind = ProviderKind.OpenAI, Region = "us", ApiKey = "sk-test-not-used-000000" };
            o.Models["smart"] = Routers.Model(("openai", "gpt-4o-2024-08-06"));
            Routers.OpenAccess(o);
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        var inner = new ScriptedChatClient();
        IChatClient chat = new ChatClientBuilder(inner).UseLlmRouter().Build(provider);

        ChatResponse response = await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "smart" });

        Assert.Equal("gpt-4o-2024-08-06", Assert.Single(inner.SeenOptions)!.ModelId);
        Assert.Equal("us", response.GetRouteInfo()!.Region);
    }

    [Fact]
    public void Budgets_are_kept_in_memory_unless_a_store_is_registered_and_can_be_queried()
    {
        var services = new ServiceCollection();
        services.AddLlmRouter(_ => { });

        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryBudgetStore>(provider.GetRequiredService<IBudgetStore>());
        Assert.IsType<BudgetQuery>(provider.GetRequiredService<IBudgetQuery>());
    }

    [Fact]
    public void Using_the_router_layers_without_registering_the_router_says_what_to_do()
    {
        using ServiceProvider provider = new ServiceCollection().BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseLlmRouter().Build(provider));

        Assert.Contains("call services.AddLlmRouter(...) first", failure.Message, StringComparison.Ordinal);
    }
}
