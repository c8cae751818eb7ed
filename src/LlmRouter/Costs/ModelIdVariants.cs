using System.Text.RegularExpressions;

namespace LlmRouter;

/// <summary>
/// The names under which a provider's model id is looked up in the price catalog, in order. See
/// <see cref="PriceCatalog.Find(string)"/> for the rule.
/// </summary>
internal static partial class ModelIdVariants
{
    /// <summary>The id, then the id with its leading path segments removed one by one (<c>openai/gpt-4o</c> → <c>gpt-4o</c>).</summary>
    public static IEnumerable<string> Paths(string modelId)
    {
        if (modelId.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            // OpenAI fine-tunes (ft:BASE:org:suffix:id) are priced as "ft:BASE", never as the cheaper base model.
            int end = modelId.IndexOf(':', 3);
            yield return end < 0 ? modelId : modelId[..end];
            yield break;
        }

        yield return modelId;
        for (int slash = modelId.IndexOf('/'); slash >= 0 && slash < modelId.Length - 1; slash = modelId.IndexOf('/', slash + 1))
        {
            yield return modelId[(slash + 1)..];
        }
    }

    /// <summary>
    /// The id without a trailing snapshot marker (<c>-2024-08-06</c>, <c>-20241022</c>, <c>@20240620</c>, <c>-0613</c>,
    /// <c>-2411</c>, <c>-latest</c>) or Ollama-style tag (<c>:8b</c>), or <see langword="null"/> when it has none.
    /// </summary>
    public static string? WithoutSnapshot(string name)
    {
        Match match = Snapshot().Match(name);
        if (match.Success && match.Index > 0)
        {
            return name[..match.Index];
        }

        int colon = name.LastIndexOf(':');
        return colon > 0 && colon < name.Length - 1 && !name.StartsWith("ft:", StringComparison.OrdinalIgnoreCase) ? name[..colon] : null;
    }

    /// <summary>The date of a full dated snapshot (<c>-2024-08-06</c>, <c>-20241022</c>, <c>@20240620</c>) as <c>yyyyMMdd</c>, or <see langword="null"/>.</summary>
    public static string? SnapshotDate(string name, out string? undated)
    {
        Match match = FullDate().Match(name);
        if (!match.Success || match.Index == 0)
        {
            undated = null;
            return null;
        }

        undated = name[..match.Index];
        return match.Groups["date"].Value.Replace("-", string.Empty, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})|-latest)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Snapshot();

    [GeneratedRegex(@"[-@](?<date>\d{4}-\d{2}-\d{2}|\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex FullDate();
}
