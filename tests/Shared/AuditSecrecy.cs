using System.Text;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Audit;

/// <summary>
/// The "no secret anywhere in the store" specification, the same for every audit store (linked into the SQLite and
/// PostgreSQL test projects): requests through the real OpenAI SDK and the real HTTP stack to loopback servers, with
/// provider API keys that do not look like keys (so only the configured-secret redaction can catch them), Full content,
/// a prompt that carries the keys and an Authorization header, answers and provider errors that echo them back.
/// </summary>
internal static class AuditSecrecy
{
    /// <summary>The OpenAI provider's key: nothing like <c>sk-…</c>.</summary>
    public const string OpenAIKey = "ledgerQx2Vb9Lm4Tz8Wk3Rp";

    /// <summary>The Azure OpenAI provider's key: 32 hex digits, as Azure issues them.</summary>
    public const string AzureKey = "d41f8a2c9b7e4c1f8a0d3e6b5c2a9f17";

    /// <summary>What must appear nowhere in a store: each key, a fragment of each (a cut-off key is a leak too), and the header lines.</summary>
    public static readonly string[] Secrets =
    [
        OpenAIKey, OpenAIKey[4..16], AzureKey, AzureKey[6..20], "Bearer " + OpenAIKey, "api-key: " + AzureKey,
    ];

    private static readonly string Prompt = $"My keys are {OpenAIKey} and {AzureKey}. Send 'Authorization: Bearer {OpenAIKey}' and 'api-key: {AzureKey}'.";

    /// <summary>Sends served, failed and streamed requests to both providers through a router recording into the store <paramref name="addStore"/> registers; returns how many requests were made.</summary>
    public static async Task<int> RecordAsync(Action<LlmRouterBuilder> addStore)
    {
        await using OpenAIWireServer openai = await OpenAIWireServer.StartAsync();
        await using OpenAIWireServer azure = await OpenAIWireServer.StartAsync();
        openai.Enqueue(WireBehavior.Error(401, "invalid_api_key", $"Incorrect API key provided: {OpenAIKey}. Header was 'Authorization: Bearer {OpenAIKey}'."));
        openai.RespondWith(WireBehavior.Reply($"Noted: {OpenAIKey}, sent as Authorization: Bearer {OpenAIKey}."));
        azure.Enqueue(WireBehavior.Error(401, "401", $"Access denied due to invalid subscription key {AzureKey} (api-key: {AzureKey})."));
        azure.RespondWith(WireBehavior.Reply($"Noted: api-key: {AzureKey}."));

        var options = new LlmRouterOptions();
        options.Providers["openai"] = new ProviderOptions { Kind = ProviderKind.OpenAI, Region = "eu", Endpoint = openai.Endpoint, ApiKey = OpenAIKey, ConnectRetries = 0 };
        options.Providers["azure"] = new ProviderOptions { Kind = ProviderKind.AzureOpenAI, Region = "ch", Endpoint = azure.BaseAddress, ApiKey = AzureKey, ConnectRetries = 0 };
        options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "openai", Model = "gpt-4o" }] };
        options.Models["chat-ch"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "azure", Model = "gpt-4o-mini" }] };
        options.Keys["back-office"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
        options.AnonymousKey = "back-office";
        options.Audit.Content = AuditContentMode.Full;

        int requests = 0;
        await using (LlmRouterClient router = LlmRouterClient.Create(options, addStore))
        {
            foreach (string model in new[] { "chat", "chat-ch" })
            {
                await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync(Prompt, new ChatOptions { ModelId = model }));
                await router.GetResponseAsync(Prompt, new ChatOptions { ModelId = model });
                await router.GetStreamingResponseAsync(Prompt, new ChatOptions { ModelId = model }).ToChatResponseAsync();
                requests += 3;
            }
        }

        // The secrets were really in play: on the wire, in the provider's own header.
        Assert.Equal("Bearer " + OpenAIKey, openai.Requests[0].Header("Authorization"));
        Assert.Equal(AzureKey, azure.Requests[0].Header("api-key"));
        return requests;
    }

    /// <summary>Asserts that none of <see cref="Secrets"/> occurs in the text, which does hold the recorded content, masked.</summary>
    public static void AssertNoSecretIn(string stored)
    {
        Assert.Contains("Bearer [REDACTED]", stored, StringComparison.Ordinal);
        foreach (string secret in Secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts that none of <see cref="Secrets"/> occurs in the bytes, as UTF-8 or UTF-16, which do hold the recorded content, masked.</summary>
    public static void AssertNoSecretIn(byte[] stored)
    {
        Assert.NotEqual(-1, stored.AsSpan().IndexOf("Bearer [REDACTED]"u8));
        foreach (string secret in Secrets)
        {
            Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
    }
}
