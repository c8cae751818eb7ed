using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>
/// A key's model patterns compiled for matching: exact aliases, prefixes (<c>mistral-eu-*</c>) and <c>*</c>. Matching
/// is ordinal and case-sensitive, like alias lookup: a name that differs in case, whitespace or look-alike characters
/// does not match an exact pattern, and whatever a prefix pattern lets through must still be a configured alias.
/// </summary>
internal sealed class ModelPatterns
{
    public static readonly ModelPatterns None = new(FrozenSet<string>.Empty, [], all: false);

    private readonly FrozenSet<string> _exact;
    private readonly string[] _prefixes;
    private readonly bool _all;

    private ModelPatterns(FrozenSet<string> exact, string[] prefixes, bool all)
    {
        _exact = exact;
        _prefixes = prefixes;
        _all = all;
    }

    /// <summary>Compiles validated patterns.</summary>
    public static ModelPatterns Compile(IEnumerable<string> patterns)
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<string>();
        foreach (string pattern in patterns)
        {
            if (pattern == "*")
            {
                return new ModelPatterns(FrozenSet<string>.Empty, [], all: true);
            }

            if (pattern.EndsWith('*'))
            {
                prefixes.Add(pattern[..^1]);
            }
            else
            {
                exact.Add(pattern);
            }
        }

        return exact.Count == 0 && prefixes.Count == 0 ? None : new ModelPatterns(exact.ToFrozenSet(StringComparer.Ordinal), [.. prefixes], all: false);
    }

    public bool Allows(string model)
    {
        if (_all || _exact.Contains(model))
        {
            return true;
        }

        foreach (string prefix in _prefixes)
        {
            if (model.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Describes what a pattern must look like, for validation messages.</summary>
    public const string Rule = "an exact model alias, a prefix ending in '*' (mistral-eu-*), or '*'";

    /// <summary>Gets whether a pattern is well formed: '*', or a valid name, or a valid name prefix followed by one '*'.</summary>
    public static bool IsWellFormed(string pattern) =>
        pattern == "*" || ModelNames.IsValidName(pattern.EndsWith('*') ? pattern[..^1] : pattern);
}
