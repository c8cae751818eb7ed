using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using LlmRouter.Samples.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>Who may call <c>/v1</c>: a bearer token, known only by its SHA-256 hash, mapped to a virtual key.</summary>
public class BearerTokenTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-not-a-configured-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic c2stZGVtby1hY21lLWNoYXQ6")]
    [InlineData("sk-demo-acme-chat")]
    public async Task A_request_without_a_configured_bearer_token_is_401_invalid_api_key_on_every_v1_path(string? authorization)
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client(token: null);

        foreach ((HttpMethod method, string path) in new[] { (HttpMethod.Post, "v1/chat/completions"), (HttpMethod.Get, "v1/models"), (HttpMethod.Get, "v1/models/assistant"), (HttpMethod.Get, "v1/files") })
        {
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? ChatCompletionTests.Json(new { model = "assistant", messages = new[] { new { role = "user", content = "Hi" } } }) : null };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using HttpResponseMessage response = await client.SendAsync(request);

            ErrorMappingTests.Error error = await ErrorMappingTests.ReadErrorAsync(response);
            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_request_error", "invalid_api_key", null), (response.StatusCode, error.Type, error.Code, error.Param));
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.Equal("false", ErrorMappingTests.Header(response, "x-should-retry"));
            Assert.Null(ErrorMappingTests.Header(response, "x-request-id"));
        }
    }

    [Fact]
    public async Task The_scheme_is_case_insensitive_and_the_token_is_the_key_of_its_client()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client(token: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", SampleHost.AcmeToken);

        using HttpResponseMessage response = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Neither_a_token_nor_the_key_it_maps_to_appears_in_an_answer_or_a_log_line_at_any_level()
    {
        const string WrongToken = "sk-wrong-7d1e9c0b55aa";
        await using SampleHost host = await SampleHost.StartAsync(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:LlmRouter"] = "Trace",
        });
        using HttpClient good = host.Client();
        using HttpClient bad = host.Client(WrongToken);

        var answers = new List<string>();
        foreach (HttpClient client in new[] { good, bad })
        {
            foreach (string model in new[] { "assistant", "summarizer" })
            {
                using HttpResponseMessage response = await ErrorMappingTests.AskAsync(client, model);
                answers.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync());
            }

            using HttpResponseMessage stream = await StreamingTests.PostStreamAsync(client, new { model = "assistant", stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
            answers.Add(stream.Headers + "\n" + await stream.Content.ReadAsStringAsync());
        }

        IReadOnlyList<FakeLogRecord> logs = host.Logs.GetSnapshot();
        Assert.Contains(logs, log => log.Message.Contains("model_not_allowed", StringComparison.Ordinal));
        Assert.Contains(logs, log => log.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        string everything = string.Join("\n", answers) + string.Join("\n", logs.Select(log =>
            log.Message + " " + log.Exception + " " + string.Join(",", log.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [])));
        foreach (string secret in new[] { SampleHost.AcmeToken, WrongToken, "client-chat" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reload_rotates_a_token_and_a_reload_that_does_not_validate_leaves_the_clients_in_service()
    {
        await using SampleHost host = await SampleHost.StartAsync(new Dictionary<string, string?>());
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        using HttpClient old = host.Client();
        using HttpClient rotated = host.Client("sk-rotated-token");

        configuration["OpenAIEndpoint:Clients:acme-chat:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData("sk-rotated-token"u8));
        configuration.Reload();
        using HttpResponseMessage oldAfterRotation = await old.GetAsync("v1/models");
        using HttpResponseMessage rotatedAfterRotation = await rotated.GetAsync("v1/models");

        configuration["OpenAIEndpoint:Clients:acme-chat:TokenSha256"] = "not-a-hash";
        Record.Exception(configuration.Reload);
        using HttpResponseMessage afterInvalidReload = await rotated.GetAsync("v1/models");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (oldAfterRotation.StatusCode, rotatedAfterRotation.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterInvalidReload.StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), log => log.Level == Microsoft.Extensions.Logging.LogLevel.Error && log.Message.Contains("OpenAIEndpoint:Clients:acme-chat:TokenSha256: must be the SHA-256 hash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clients_are_checked_at_start_up_every_error_named_by_its_path()
    {
        var settings = new Dictionary<string, string?>
        {
            ["OpenAIEndpoint:Clients:ghost:Key"] = "no-such-key",
            ["OpenAIEndpoint:Clients:ghost:TokenSha256"] = "not-a-hash",
            ["OpenAIEndpoint:Clients:twin:Key"] = "trial",
            ["OpenAIEndpoint:Clients:twin:TokenSha256"] = "31CC1C3702147F70CA656C7948556AD30AD43EBA775FAD4186BEE6224834C2A1",
        };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => SampleHost.StartAsync(settings));

        Assert.Contains("OpenAIEndpoint:Clients:ghost:Key: not a key under LlmRouter:Keys", failure.Failures);
        Assert.Contains("OpenAIEndpoint:Clients:ghost:TokenSha256: must be the SHA-256 hash of the token, 64 hexadecimal digits", failure.Failures);
        Assert.Contains(failure.Failures, f => f.StartsWith("OpenAIEndpoint:Clients:", StringComparison.Ordinal) && f.EndsWith(":TokenSha256: the same token is configured for another client", StringComparison.Ordinal));
    }
}
