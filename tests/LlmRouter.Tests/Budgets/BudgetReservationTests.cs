using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Budgets;

/// <summary>What is reserved: the worst case of the deployment about to be called, made a real bound, measured no more exactly than the decision needs.</summary>
public sealed class BudgetReservationTests
{
    [Fact]
    public async Task A_budgeted_request_without_its_own_output_limit_to_a_model_whose_limit_is_unknown_is_capped_at_the_default()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["open"] = Routers.Model(("flaky", "ledger-open"));
            o.Prices["ledger-open"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 1 };
            o.Pricing.DefaultMaxOutputTokens = 300;
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m };
        });

        RouteInfo capped = (await setup.AskAsync("alpha", "open")).GetRouteInfo()!;
        await setup.Router.GetResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha", "open", maxOutputTokens: 100));
        await setup.AskAsync("gamma", "open");
        await setup.AskAsync("alpha", "flaky");

        Assert.Equal(new int?[] { 300, 100, null, null }, setup.Flaky.SeenOptions.Select(o => o!.MaxOutputTokens));
        Assert.Equal(300 * 1m / 1_000_000, capped.BudgetReserved);
    }

    [Fact]
    public async Task The_worst_case_covers_the_prompt_at_its_UTF8_bound_and_the_output_cap()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Prices["ledger-small"] = new ModelPriceOptions { InputPerMillion = 1000, OutputPerMillion = 500, CacheWritePerMillion = 2000, MaxOutputTokens = 2 };
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m };
        });
        string prompt = "Summarize the ledger: Zürich, €";

        RouteInfo route = (await setup.Router.GetResponseAsync(prompt, BudgetRouter.As("alpha"))).GetRouteInfo()!;

        // 4 tokens of message framing + 3 to prime the reply + one per UTF-8 byte, at the dearer of input and cache write.
        long bound = 4 + 3 + System.Text.Encoding.UTF8.GetByteCount(prompt);
        Assert.Equal(((bound * 2000m) + (2 * 500m)) / 1_000_000m, route.BudgetReserved);
    }

    [Fact]
    public async Task An_exact_tokenizer_count_admits_a_prompt_whose_byte_bound_would_not_fit()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["mini"] = Routers.Model(("cheap", "gpt-4o-mini"));
            o.Models["house"] = Routers.Model(("cheap", "house-model-7"));
            o.Prices["gpt-4o-mini"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 500, MaxOutputTokens = 2 };
            o.Prices["house-model-7"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 500, MaxOutputTokens = 2 };
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.002m };
        });
        // About 1,400 UTF-8 bytes but about 200 tokens: $0.0024 by the byte bound, $0.0012 counted.
        string prompt = string.Concat(Enumerable.Repeat("ledger ", 200));

        RouteInfo exact = (await setup.Router.GetResponseAsync(prompt, BudgetRouter.As("alpha", "mini"))).GetRouteInfo()!;
        var approximate = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.Router.GetResponseAsync(prompt, BudgetRouter.As("alpha", "house")));

        Assert.True(exact.BudgetReserved < 0.002m);
        Assert.True(approximate.Requested > 0.002m);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("pdf")]
    [InlineData("link")]
    [InlineData("hosted file")]
    public async Task Content_whose_size_cannot_be_bounded_is_reserved_at_the_models_maximum_input(string kind)
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["vision"] = Routers.Model(("cheap", "vision-model"));
            o.Prices["vision-model"] = new ModelPriceOptions { InputPerMillion = 10, OutputPerMillion = 500, MaxOutputTokens = 2, MaxInputTokens = 100_000 };
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 10m };
        });
        AIContent content = kind switch
        {
            "image" => new DataContent(new byte[64], "image/png"),
            "pdf" => new DataContent(new byte[64], "application/pdf"),
            "link" => new UriContent(new Uri("https://example.com/ledger.pdf"), "application/pdf"),
            _ => new HostedFileContent("file-ledger"),
        };

        RouteInfo route = (await setup.Router.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Summarize this."), content])], BudgetRouter.As("alpha", "vision"))).GetRouteInfo()!;

        // A provider bills an image by its pixels, a document by its pages, a link or a file by what it holds: only the model's window bounds them.
        Assert.Equal(((100_000 * 10m) + (2 * 500m)) / 1_000_000m, route.BudgetReserved);
        Assert.True(route.Estimate.PromptUnbounded);
    }

    [Fact]
    public async Task A_prompt_is_never_reserved_at_more_than_the_models_maximum_input()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["small-window"] = Routers.Model(("cheap", "small-window"));
            o.Prices["small-window"] = new ModelPriceOptions { InputPerMillion = 1000, OutputPerMillion = 500, MaxOutputTokens = 2, MaxInputTokens = 100 };
            o.Pricing.CheckContextWindow = false;
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m };
        });

        RouteInfo route = (await setup.Router.GetResponseAsync(new string('x', 5000), BudgetRouter.As("alpha", "small-window"))).GetRouteInfo()!;

        Assert.True(route.Estimate.PromptTokenBound > 100);
        Assert.Equal(((100 * 1000m) + (2 * 500m)) / 1_000_000m, route.BudgetReserved);
    }

    [Fact]
    public async Task Content_that_cannot_be_bounded_skips_a_budgeted_deployment_whose_maximum_input_is_unknown()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 10m });
        ChatMessage[] withImage = [new ChatMessage(ChatRole.User, [new TextContent("Describe this."), new DataContent(new byte[64], "image/png")])];

        var failure = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => setup.Router.GetResponseAsync(withImage, BudgetRouter.As("alpha")));
        RouteInfo unbudgeted = (await setup.Router.GetResponseAsync(withImage, BudgetRouter.As("gamma"))).GetRouteInfo()!;

        Assert.Equal(SkipReasons.PromptUnbounded, Assert.Single(failure.Route!.Attempts).SkipReason);
        Assert.Equal(RouteStatus.Served, unbudgeted.Status);
        Assert.Equal(1, setup.Cheap.Calls);
    }

    [Fact]
    public async Task A_provider_billing_more_than_the_worst_case_is_charged_and_never_silently()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m });
        setup.Cheap.OutputTokens = 5;

        await setup.AskAsync("alpha");

        Assert.Equal(5 * 500m / 1_000_000m, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
        Assert.Equal(1, setup.Statistics.SettledOverHold);
        FakeLogRecord warning = Assert.Single(setup.Logs.GetSnapshot(), r => r.Id.Id == 1406);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("charged 0.0025 USD on the Key budget (all models) but held only 0.001 USD", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lenient_mode_admits_while_committed_spend_is_below_the_limit_and_may_overshoot()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Budgets.Mode = BudgetMode.Lenient;
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.0015m };
        });
        setup.Cheap.CloseGate();
        Task<ChatResponse>[] calls = [.. Enumerable.Range(0, 3).Select(_ => setup.AskAsync("alpha"))];
        await setup.Cheap.WaitForInFlightAsync(3);
        setup.Cheap.OpenGate();
        await Task.WhenAll(calls);

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));

        Assert.Equal(0.003m, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
        Assert.Equal(BudgetMode.Lenient, refusal.Mode);
        Assert.Equal("Budget exceeded: the key's monthly budget of $0.0015 ($0.003 spent, $0.00 reserved) is used up; it resets at 2026-12-01T00:00:00+00:00.", refusal.Message);
    }

    [Fact]
    public async Task The_budget_query_reports_every_scope_and_model_and_never_leaks_a_key_id_in_text()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m, SoftLimit = 0.5m, Models = { ["ledger-large"] = new ModelBudgetOptions { Limit = 0.1m, Period = BudgetPeriod.Daily } } };
            o.Tenants["acme"].Budget = new BudgetOptions { Limit = 10m, Period = BudgetPeriod.Weekly };
            o.Budgets.Global = new BudgetOptions { Limit = 100m };
        });
        await setup.AskAsync("alpha", "ledger-large");

        IReadOnlyList<BudgetStatus> forKey = await setup.Query.GetForKeyAsync("alpha");
        IReadOnlyList<BudgetStatus> all = await setup.Query.GetAllAsync();

        Assert.Equal(
            [(BudgetScope.Key, "alpha", null, 0.004m), (BudgetScope.Key, "alpha", "ledger-large", 0.004m), (BudgetScope.Tenant, "acme", null, 0.004m), (BudgetScope.Global, null, null, 0.004m)],
            forKey.Select(s => (s.Scope, s.Name, s.Model, s.Spent)));
        Assert.Equal(forKey.Select(s => (s.Scope, s.Name, s.Model)), all.Select(s => (s.Scope, s.Name, s.Model)));
        Assert.Equal(0.996m, forKey[0].Remaining);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), forKey[2].PeriodStart);
        Assert.Equal("Key ledger-large Daily: 0.004 spent, 0 reserved, 0.096 remaining of 0.1", forKey[1].ToString());
        Assert.Equal([BudgetScope.Global], (await setup.Query.GetForKeyAsync("gamma")).Select(s => s.Scope));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => setup.Query.GetForKeyAsync("alpha-typo"));
        Assert.DoesNotContain("alpha-typo", unknown.Message, StringComparison.Ordinal);
        Assert.Single(await setup.Query.GetAsync(BudgetScope.Global));
        Assert.Empty(await setup.Query.GetAsync(BudgetScope.Key, "beta"));
    }

    [Fact]
    public async Task A_pipeline_without_the_key_policy_layer_is_held_to_the_global_budget()
    {
        LlmRouterOptions options = BudgetRouter.Options();
        options.Budgets.Global = new BudgetOptions { Limit = BudgetRouter.LedgerCost };
        var cheap = new Policies.MeteredChatClient();
        await using LlmRouterClient services = Routers.Create(options, Routers.Clock(), b => b.AddProvider("cheap", cheap).AddProvider("dear", cheap).AddProvider("flaky", cheap));
        IChatClient pipeline = new ChatClientBuilder(new ProviderDispatchChatClient()).UseBudgets().UseModelRouting().Build(services.Services);

        await pipeline.GetResponseAsync("Summarize the ledger.", new ChatOptions { ModelId = "ledger" });
        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => pipeline.GetResponseAsync("Summarize the ledger.", new ChatOptions { ModelId = "ledger" }));

        Assert.Equal(BudgetScope.Global, refusal.Scope);
        Assert.Equal(1, cheap.Calls);
    }
}
