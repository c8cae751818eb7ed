using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>One configured budget, as the routing table holds it: a key's, a tenant's or the global one, with its per-model limits.</summary>
/// <remarks>Immutable; belongs to one routing table. <see cref="Name"/> may be a key id: never log it.</remarks>
internal sealed class ScopeBudget
{
    private ScopeBudget(BudgetScope scope, string? name, BudgetLimit? whole, FrozenDictionary<string, BudgetLimit> models)
    {
        Scope = scope;
        Name = name;
        Whole = whole;
        Models = models;
    }

    public BudgetScope Scope { get; }

    public string? Name { get; }

    /// <summary>Gets the limit on everything the scope spends, or <see langword="null"/> when only per-model limits apply.</summary>
    public BudgetLimit? Whole { get; }

    /// <summary>Gets the per-model limits, by alias.</summary>
    public FrozenDictionary<string, BudgetLimit> Models { get; }

    public static ScopeBudget? Compile(BudgetScope scope, string? name, BudgetOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        BudgetLimit? whole = options.Limit is decimal limit ? new BudgetLimit(null, limit, options.SoftLimit, options.Period) : null;
        var models = new Dictionary<string, BudgetLimit>(StringComparer.Ordinal);
        foreach ((string alias, ModelBudgetOptions model) in options.Models)
        {
            models[alias] = new BudgetLimit(alias, model.Limit!.Value, model.SoftLimit, model.Period ?? options.Period);
        }

        return new ScopeBudget(scope, name, whole, models.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Every limit of the scope: the whole budget first, then the models by alias.</summary>
    public IEnumerable<BudgetLimit> Limits()
    {
        if (Whole is not null)
        {
            yield return Whole;
        }

        foreach (string alias in Models.Keys.Order(StringComparer.Ordinal))
        {
            yield return Models[alias];
        }
    }
}
