using System.Net;
using System.Text.Json;
using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary><c>GET /v1/models</c>: the aliases the caller's key may use, in OpenAI's list shape.</summary>
public class ModelsTests
{
    [Fact]
    public async Task The_list_holds_exactly_the_aliases_the_callers_key_may_use()
    {
        await using SampleHost host = await SampleHost.StartAsync(new Dictionary<string, string?>().Client("ops", "back-office", "sk-test-ops"));
        using HttpClient acme = host.Client();
        using HttpClient ops = host.Client("sk-test-ops");

        JsonElement acmeList = EventStream.Json(await acme.GetStringAsync("v1/models"));
        JsonElement opsList = EventStream.Json(await ops.GetStringAsync("v1/models"));

        Assert.Equal("list", acmeList.GetProperty("object").GetString());
        Assert.Equal(["assistant", "assistant-ch"], acmeList.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["assistant", "assistant-ch", "summarizer"], opsList.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(acmeList.GetProperty("data").EnumerateArray(), model =>
        {
            Assert.Equal(["id", "object", "created", "owned_by"], model.EnumerateObject().Select(p => p.Name));
            Assert.Equal(("model", "llmrouter"), (model.GetProperty("object").GetString(), model.GetProperty("owned_by").GetString()));
            Assert.InRange(model.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        });
    }

    [Fact]
    public async Task A_model_is_retrieved_when_the_key_may_use_it_and_is_404_model_not_found_otherwise()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        JsonElement model = EventStream.Json(await client.GetStringAsync("v1/models/assistant-ch"));
        using HttpResponseMessage hidden = await client.GetAsync("v1/models/summarizer");

        Assert.Equal("assistant-ch", model.GetProperty("id").GetString());
        ErrorMappingTests.Error error = await ErrorMappingTests.ReadErrorAsync(hidden);
        Assert.Equal((HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", "model"), (hidden.StatusCode, error.Type, error.Code, error.Param));
    }

    [Fact]
    public async Task An_unknown_v1_path_is_OpenAIs_404_invalid_url()
    {
        await using SampleHost host = await SampleHost.StartAsync();
        using HttpClient client = host.Client();

        using HttpResponseMessage response = await client.PostAsync("v1/embeddings", ChatCompletionTests.Json(new { model = "assistant", input = "Hi" }));

        ErrorMappingTests.Error error = await ErrorMappingTests.ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.NotFound, "invalid_request_error", "Invalid URL (POST /v1/embeddings)"), (response.StatusCode, error.Type, error.Message));
    }
}
