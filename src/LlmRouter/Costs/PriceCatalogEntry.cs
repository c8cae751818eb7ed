namespace LlmRouter;

/// <summary>One model of the price catalog: its name there, its provider, its token limits and its prices.</summary>
internal sealed class PriceCatalogEntry
{
    public PriceCatalogEntry(string name, string provider, int? maxInputTokens, int? maxOutputTokens, ModelPrice price)
    {
        Name = name;
        Provider = provider;
        MaxInputTokens = maxInputTokens;
        MaxOutputTokens = maxOutputTokens;
        Price = price;
    }

    /// <summary>Gets the model's name in the catalog, for example <c>gpt-4o</c> or <c>mistral/mistral-large-latest</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the catalog's provider name, for example <c>openai</c>, <c>anthropic</c>, <c>mistral</c>.</summary>
    public string Provider { get; }

    /// <summary>Gets the most prompt tokens the model accepts, when the catalog knows it.</summary>
    public int? MaxInputTokens { get; }

    /// <summary>Gets the most tokens the model generates in one response, when the catalog knows it.</summary>
    public int? MaxOutputTokens { get; }

    public ModelPrice Price { get; }

    public override string ToString() => Name;
}
