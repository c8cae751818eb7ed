using System.Collections.Frozen;
using System.Globalization;

namespace LlmRouter;

/// <summary>
/// LlmRouter's built-in price catalog: prices, long-context tiers and token limits of about 2,200 chat models,
/// generated from the public LiteLLM price list (MIT, Berri AI) by <c>scripts/generate-price-catalog.py</c> and
/// embedded in the library.
/// </summary>
/// <remarks>
/// <para>
/// A model id is looked up by this rule, case-insensitively, stopping at the first match:
/// </para>
/// <list type="number">
/// <item>The id exactly, first qualified by the provider's catalog prefixes (for example <c>azure/gpt-4o</c> for an
/// Azure OpenAI deployment, <c>mistral/mistral-large-latest</c> for a provider named <c>mistral</c> or at
/// <c>api.mistral.ai</c>), then bare.</item>
/// <item>The same with leading path segments removed one at a time (<c>openai/gpt-4o</c> → <c>gpt-4o</c>).</item>
/// <item>Without a trailing snapshot marker: a date (<c>-2024-08-06</c>, <c>-20241022</c>, <c>@20240620</c>), a
/// four-digit version (<c>-0613</c>, <c>-2411</c>), <c>-latest</c>, or an Ollama tag (<c>:8b</c>).</item>
/// <item>For an undated id the catalog only knows with dates, the newest dated snapshot.</item>
/// </list>
/// <para>
/// Nothing else matches: <c>gpt-4o-mini</c> never falls back to <c>gpt-4o</c>, and an OpenAI fine-tune
/// (<c>ft:gpt-4o-2024-08-06:org::id</c>) is priced only as <c>ft:gpt-4o-2024-08-06</c>, never as its cheaper base model.
/// </para>
/// <para>Immutable and thread-safe; the built-in catalog is parsed once, on first use.</para>
/// </remarks>
public sealed class PriceCatalog
{
    internal const string ResourceName = "LlmRouter.Costs.PriceCatalog.tsv";

    private static readonly Lazy<PriceCatalog> BuiltInCatalog = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, PriceCatalogEntry> _entries;
    private readonly FrozenDictionary<string, PriceCatalogEntry> _newestSnapshot;

    private PriceCatalog(string version, Dictionary<string, PriceCatalogEntry> entries)
    {
        Version = version;
        _entries = entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        var newest = new Dictionary<string, (string Date, PriceCatalogEntry Entry)>(StringComparer.OrdinalIgnoreCase);
        foreach (PriceCatalogEntry entry in entries.Values)
        {
            if (ModelIdVariants.SnapshotDate(entry.Name, out string? undated) is { } date &&
                (!newest.TryGetValue(undated!, out var known) || string.CompareOrdinal(date, known.Date) > 0))
            {
                newest[undated!] = (date, entry);
            }
        }

        _newestSnapshot = newest.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.Entry, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the catalog embedded in LlmRouter.</summary>
    public static PriceCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>
    /// Gets the catalog's version: the date of the source snapshot and a hash of the generated data, for example
    /// <c>2026-07-24+1751ec00</c>. Stored with every priced call, so a closed period is never re-priced.
    /// </summary>
    public string Version { get; }

    /// <summary>Gets the number of models in the catalog.</summary>
    public int Count => _entries.Count;

    /// <summary>Finds the prices of a model by its provider's model id, by the rule described on <see cref="PriceCatalog"/>.</summary>
    /// <param name="modelId">The model id, for example <c>gpt-4o-2024-08-06</c> or <c>claude-sonnet-4-5</c>.</param>
    /// <returns>The prices, or <see langword="null"/> when the catalog does not know the model.</returns>
    public ModelPrice? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return Resolve(modelId, [])?.Price;
    }

    /// <summary>Finds a model, trying the provider's catalog prefixes (for example <c>azure</c>, <c>mistral</c>) before the bare names.</summary>
    internal PriceCatalogEntry? Resolve(string modelId, IReadOnlyList<string> providerPrefixes)
    {
        modelId = modelId.Trim();
        if (modelId.Length == 0)
        {
            return null;
        }

        string[] paths = [.. ModelIdVariants.Paths(modelId)];
        foreach (string path in paths)
        {
            if (Lookup(_entries, path, providerPrefixes) is { } exact)
            {
                return exact;
            }
        }

        foreach (string path in paths)
        {
            string? undated = ModelIdVariants.WithoutSnapshot(path);
            if (undated is not null && Lookup(_entries, undated, providerPrefixes) is { } base_)
            {
                return base_;
            }

            if (Lookup(_newestSnapshot, path, providerPrefixes) is { } newest)
            {
                return newest;
            }

            if (undated is not null && Lookup(_newestSnapshot, undated, providerPrefixes) is { } newestOfUndated)
            {
                return newestOfUndated;
            }
        }

        return null;
    }

    private static PriceCatalogEntry? Lookup(FrozenDictionary<string, PriceCatalogEntry> entries, string name, IReadOnlyList<string> prefixes)
    {
        foreach (string prefix in prefixes)
        {
            if (entries.TryGetValue(prefix + "/" + name, out PriceCatalogEntry? qualified))
            {
                return qualified;
            }
        }

        return entries.TryGetValue(name, out PriceCatalogEntry? entry) ? entry : null;
    }

    /// <summary>Reads a catalog in the format <c>scripts/generate-price-catalog.py</c> writes.</summary>
    /// <exception cref="FormatException">The text is not a valid catalog.</exception>
    internal static PriceCatalog Parse(TextReader reader)
    {
        string? version = null;
        int? expected = null;
        var entries = new Dictionary<string, PriceCatalogEntry>(StringComparer.OrdinalIgnoreCase);
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                string[] header = line[1..].Trim().Split('\t');
                if (header.Length == 2 && header[0] == "version")
                {
                    version = header[1];
                }
                else if (header.Length == 2 && header[0] == "entries")
                {
                    expected = int.Parse(header[1], NumberStyles.None, CultureInfo.InvariantCulture);
                }

                continue;
            }

            if (version is null)
            {
                throw new FormatException("The price catalog has no version line before its first entry.");
            }

            try
            {
                PriceCatalogEntry entry = ParseEntry(line, version);
                if (!entries.TryAdd(entry.Name, entry))
                {
                    throw new FormatException($"'{entry.Name}' is listed twice.");
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw new FormatException($"Line {lineNumber} of the price catalog is not valid: {ex.Message}", ex);
            }
        }

        if (version is null || (expected is int count && count != entries.Count))
        {
            throw new FormatException($"The price catalog is incomplete: {entries.Count} entries, {expected?.ToString(CultureInfo.InvariantCulture) ?? "no"} announced.");
        }

        return new PriceCatalog(version, entries);
    }

    private static PriceCatalogEntry ParseEntry(string line, string version)
    {
        string[] columns = line.Split('\t');
        if (columns.Length != 10)
        {
            throw new FormatException($"expected 10 columns, found {columns.Length}");
        }

        decimal input = Price(columns[4]) ?? throw new FormatException("no input price");
        decimal output = Price(columns[5]) ?? throw new FormatException("no output price");
        decimal? cacheRead = Price(columns[6]);
        decimal? cacheWrite = Price(columns[7]);
        decimal? reasoning = Price(columns[8]);
        var rates = new PriceRates
        {
            InputPerMillion = input,
            OutputPerMillion = output,
            CachedInputPerMillion = cacheRead ?? input,
            CacheWritePerMillion = cacheWrite ?? input,
            ReasoningPerMillion = reasoning ?? output,
        };

        List<PriceTier>? tiers = null;
        if (columns[9].Length > 0)
        {
            tiers = [];
            foreach (string tier in columns[9].Split(';'))
            {
                int colon = tier.IndexOf(':', StringComparison.Ordinal);
                string[] prices = tier[(colon + 1)..].Split(',');
                if (colon <= 0 || prices.Length != 5)
                {
                    throw new FormatException($"tier '{tier}' is not threshold:input,output,cache_read,cache_write,reasoning");
                }

                decimal tierInput = Price(prices[0]) ?? input;
                decimal tierOutput = Price(prices[1]) ?? output;

                // A price the source gives only for the base carries over; one it never gives follows the tier's input or output.
                tiers.Add(new PriceTier(long.Parse(tier.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture), new PriceRates
                {
                    InputPerMillion = tierInput,
                    OutputPerMillion = tierOutput,
                    CachedInputPerMillion = Price(prices[2]) ?? cacheRead ?? tierInput,
                    CacheWritePerMillion = Price(prices[3]) ?? cacheWrite ?? tierInput,
                    ReasoningPerMillion = Price(prices[4]) ?? reasoning ?? tierOutput,
                }));
            }
        }

        var price = new ModelPrice(rates, tiers, PriceSource.Catalog, columns[0], version);
        return new PriceCatalogEntry(columns[0], columns[1], Tokens(columns[2]), Tokens(columns[3]), price);
    }

    private static decimal? Price(string text) =>
        text.Length == 0 ? null : decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static int? Tokens(string text) =>
        text.Length == 0 ? null : (int)Math.Min(int.MaxValue, long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));

    private static PriceCatalog LoadBuiltIn()
    {
        using Stream stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The built-in price catalog ({ResourceName}) is missing from the LlmRouter assembly.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Parse(reader);
    }
}
