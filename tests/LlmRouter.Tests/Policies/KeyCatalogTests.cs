using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Policies;

/// <summary>What a key may use, as an application lists it: its patterns against the configured aliases, and its regions.</summary>
public class KeyCatalogTests
{
    [Fact]
    public async Task A_key_lists_the_aliases_its_patterns_match_that_it_can_reach_in_its_regions_in_ordinal_order()
    {
        await using var router = PolicyRouter.Create();
        KeyCatalog catalog = router.Router.Services.GetRequiredService<KeyCatalog>();

        Assert.True(catalog.TryGetModels(PolicyRouter.ClientKey, out IReadOnlyList<string> models));

        // mistral-eu-offshore matches mistral-eu-* but is deployed only in the US, outside the key's regions.
        Assert.Equal(["claude-haiku-eu", "mistral-eu-large", "mistral-eu-small"], models);
    }

    [Fact]
    public async Task An_alias_outside_the_keys_regions_is_listed_when_an_allowed_fallback_in_its_regions_serves_it()
    {
        await using var router = PolicyRouter.Create(options => options.Models["mistral-eu-offshore"].Fallbacks = ["assistant-ch", "mistral-eu-small"]);
        KeyCatalog catalog = router.Router.Services.GetRequiredService<KeyCatalog>();

        catalog.TryGetModels(PolicyRouter.ClientKey, out IReadOnlyList<string> models);
        var served = await router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-offshore");

        Assert.Contains("mistral-eu-offshore", models);
        Assert.Equal("mistral-eu-small", served.GetRouteInfo()!.ServedModel);
    }

    [Fact]
    public async Task A_fallback_beyond_the_hop_limit_does_not_make_an_alias_usable()
    {
        await using var router = PolicyRouter.Create(options =>
        {
            options.Routing.MaxFallbackHops = 1;
            options.Models["mistral-eu-offshore"].Fallbacks = ["gpt-4o", "mistral-eu-small"];
            options.Models["gpt-4o"].Fallbacks = [];
        });
        KeyCatalog catalog = router.Router.Services.GetRequiredService<KeyCatalog>();

        catalog.TryGetModels(PolicyRouter.ClientKey, out IReadOnlyList<string> models);

        Assert.DoesNotContain("mistral-eu-offshore", models);
        await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.AskAsync(PolicyRouter.ClientKey, "mistral-eu-offshore"));
    }

    [Fact]
    public async Task A_key_with_every_model_and_region_lists_every_alias_and_an_unknown_key_lists_nothing()
    {
        await using var router = PolicyRouter.Create(options => options.Keys["back-office"] = new KeyOptions { Models = ["*"], Regions = ["*"] });
        KeyCatalog catalog = router.Router.Services.GetRequiredService<KeyCatalog>();

        Assert.True(catalog.TryGetModels("back-office", out IReadOnlyList<string> all));
        Assert.False(catalog.TryGetModels("Back-Office", out IReadOnlyList<string> none));

        Assert.Equal(["assistant-ch", "claude-haiku-eu", "gpt-4o", "mistral-eu-large", "mistral-eu-offshore", "mistral-eu-small"], all);
        Assert.Empty(none);
        Assert.True(catalog.Contains("back-office"));
        Assert.False(catalog.Contains("back-office "));
    }
}
