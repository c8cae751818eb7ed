using LlmRouter;
using Microsoft.Extensions.Options;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>Checks the clients at start-up, reporting every error with its path: a token hash is well formed and unique, a key is configured.</summary>
internal sealed class OpenAIEndpointOptionsValidator(IOptionsMonitor<LlmRouterOptions> router) : IValidateOptions<OpenAIEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAIEndpointOptions options)
    {
        var errors = new List<string>();
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string client, ApiClientOptions entry) in options.Clients)
        {
            string path = $"{OpenAIEndpointOptions.SectionName}:Clients:{client}";
            if (string.IsNullOrEmpty(entry.Key))
            {
                errors.Add($"{path}:Key: required");
            }
            else if (!router.CurrentValue.Keys.ContainsKey(entry.Key))
            {
                errors.Add($"{path}:Key: not a key under LlmRouter:Keys");
            }

            if (!BearerTokens.IsHash(entry.TokenSha256))
            {
                errors.Add($"{path}:TokenSha256: must be the SHA-256 hash of the token, 64 hexadecimal digits");
            }
            else if (!hashes.Add(entry.TokenSha256!))
            {
                errors.Add($"{path}:TokenSha256: the same token is configured for another client");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
