namespace LlmRouter.Tests.Costs;

public class PriceCatalogTests
{
    private static readonly PriceCatalog Catalog = PriceCatalog.BuiltIn;

    [Fact]
    public void The_built_in_catalog_is_embedded_and_names_its_version()
    {
        Assert.True(Catalog.Count > 2000, $"only {Catalog.Count} models");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}\+[0-9a-f]{8}$", Catalog.Version);
        Assert.Same(Catalog, PriceCatalog.BuiltIn);
    }

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4o", "gpt-4o")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o-2024-08-06")]
    [InlineData("openai/gpt-4o", "gpt-4o")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("ft:gpt-4o-2024-08-06:acme::A1b2C3", "ft:gpt-4o-2024-08-06")]
    [InlineData("deepseek-chat", "deepseek-chat")]
    public void A_model_id_is_found_exactly_or_without_its_provider_path(string modelId, string entry) =>
        Assert.Equal(entry, Catalog.Find(modelId)!.SourceName);

    [Theory]
    [InlineData("gpt-4o-2099-01-01", "gpt-4o")]
    [InlineData("gpt-4o-mini-20990101", "gpt-4o-mini")]
    [InlineData("claude-haiku-4-5-latest", "claude-haiku-4-5")]
    [InlineData("o3-2099-12-31", "o3")]
    public void A_dated_snapshot_the_catalog_does_not_list_is_priced_as_its_model(string modelId, string entry) =>
        Assert.Equal(entry, Catalog.Find(modelId)!.SourceName);

    [Fact]
    public void An_undated_id_the_catalog_only_lists_with_dates_takes_the_newest_snapshot()
    {
        // claude-3-7-sonnet is listed only as a dated snapshot in this catalog.
        Assert.Equal("claude-3-7-sonnet-20250219", Catalog.Find("claude-3-7-sonnet")!.SourceName);
    }

    [Theory]
    [InlineData("gpt-4o-mini-turbo-ultra")]
    [InlineData("gpt-4o-nano")]
    [InlineData("ft:gpt-9:acme::x")]
    [InlineData("my-finetune")]
    [InlineData("")]
    public void Nothing_else_matches(string modelId) => Assert.Null(Catalog.Find(modelId));

    [Fact]
    public void A_fine_tune_is_never_priced_as_its_cheaper_base_model()
    {
        ModelPrice fineTune = Catalog.Find("ft:gpt-4o-2024-08-06:acme::A1b2C3")!;
        ModelPrice baseModel = Catalog.Find("gpt-4o-2024-08-06")!;
        Assert.True(fineTune.InputPerMillion > baseModel.InputPerMillion);
    }

    [Fact]
    public void Provider_prefixes_are_tried_before_the_bare_name()
    {
        Assert.Equal("azure/gpt-4o", Catalog.Resolve("gpt-4o", ["azure"])!.Name);
        Assert.Equal("mistral/mistral-large-latest", Catalog.Resolve("mistral-large-latest", ["mistral"])!.Name);
        Assert.Null(Catalog.Find("mistral-large-latest"));
        Assert.Equal("gpt-4o", Catalog.Resolve("gpt-4o", ["nosuchprovider"])!.Name);
    }

    [Fact]
    public void Catalog_prices_carry_their_source_and_version()
    {
        ModelPrice price = Catalog.Find("gpt-4o")!;
        Assert.Equal(PriceSource.Catalog, price.Source);
        Assert.Equal(Catalog.Version, price.CatalogVersion);
        Assert.Contains(Catalog.Version, price.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_the_source_omits_follow_the_documented_defaults()
    {
        // gpt-4 has no cache prices: cached and cache-write tokens cost what input costs, reasoning what output costs.
        PriceRates gpt4 = Catalog.Find("gpt-4")!.Rates;
        Assert.Equal(30m, gpt4.InputPerMillion);
        Assert.Equal(30m, gpt4.CachedInputPerMillion);
        Assert.Equal(30m, gpt4.CacheWritePerMillion);
        Assert.Equal(60m, gpt4.ReasoningPerMillion);

        // gemini-2.5-pro's long-context tier lists no cache-write price: it follows the tier's input price.
        PriceTier tier = Assert.Single(Catalog.Find("gemini/gemini-2.5-pro")!.Tiers);
        Assert.Equal(200_000, tier.AboveInputTokens);
        Assert.Equal(2.5m, tier.Rates.CacheWritePerMillion);
        Assert.Equal(0.25m, tier.Rates.CachedInputPerMillion);
    }

    [Fact]
    public void A_damaged_catalog_is_refused_with_the_line_at_fault()
    {
        const string text = "# version\t2026-01-01+00000000\n# entries\t1\nm\tp\t10\t10\tnot-a-price\t1\t\t\t\t\n";
        var error = Assert.Throws<FormatException>(() => PriceCatalog.Parse(new StringReader(text)));
        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => PriceCatalog.Parse(new StringReader("# version\tv\n# entries\t2\nm\tp\t\t\t1\t1\t\t\t\t\n")));
    }
}
