using System.Text.Json;
using Microsoft.Extensions.AI;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>A function tool the caller declared in <c>tools</c>: passed on to the model, never invoked here.</summary>
/// <remarks>
/// Carries the caller's <c>strict</c> flag as the <c>strict</c> additional property, which Microsoft.Extensions.AI's
/// OpenAI client sends as the function's <c>strict</c>.
/// </remarks>
internal sealed class RequestedFunction(string name, string? description, JsonElement parameters, bool strict) : AIFunctionDeclaration
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal) { ["strict"] = strict };

    public override string Name => name;

    public override string Description => description ?? string.Empty;

    public override JsonElement JsonSchema => parameters;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;
}
