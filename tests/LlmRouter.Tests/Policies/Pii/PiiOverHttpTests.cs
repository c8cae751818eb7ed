using System.Text.Json;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies.Pii;

/// <summary>What actually goes over the wire to an OpenAI-compatible provider when its region's policy redacts.</summary>
public sealed class PiiOverHttpTests
{
    private const string Email = "alice.muster@example.ch";

    private const string Phone = "+41 44 668 18 00";

    private static LlmRouterOptions Options(OpenAIWireServer server, PiiAction action = PiiAction.Redact)
    {
        var options = new LlmRouterOptions();
        options.Providers["openai"] = WireProviders.OpenAI(server);
        options.Providers["openai"].Region = "us";
        options.Models["gpt-4o"] = WireProviders.Alias("openai", "gpt-4o-2024-08-06");
        options.Keys["client"] = new KeyOptions
        {
            Models = ["gpt-4o"],
            Regions = ["us"],
            Pii = new PiiPolicyOptions { Regions = { ["us"] = action }, RestoreInResponse = true },
        };
        return options;
    }

    [Fact]
    public async Task The_request_body_carries_placeholders_even_for_a_message_with_an_sdk_raw_representation()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply("Sent to [EMAIL_1]."));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Options(server)));
        ChatMessage[] messages =
        [
            new(ChatRole.System, $"Reply from {Email}.") { RawRepresentation = OpenAI.Chat.ChatMessage.CreateSystemMessage($"Reply from {Email}.") },
            new(ChatRole.User, $"Write to {Email} and call +41 44 668 18 00."),
        ];

        ChatResponse response = await router.GetResponseAsync(messages, new ChatOptions { ModelId = "gpt-4o" }.WithRouterKey("client"));

        WireRequest request = Assert.Single(server.Requests);
        Assert.DoesNotContain(Email, request.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("668 18 00", request.RawBody, StringComparison.Ordinal);
        Assert.Contains("Reply from [EMAIL_1].", request.RawBody, StringComparison.Ordinal);
        Assert.Contains("Write to [EMAIL_1] and call [PHONE_1].", request.RawBody, StringComparison.Ordinal);
        Assert.Equal($"Sent to {Email}.", response.Text);
    }

    [Fact]
    public async Task A_stream_over_http_is_restored_across_its_chunks()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply("Sent to [EMAIL_1] today.") with { Chunks = ["Sent to [EM", "AIL", "_1] to", "day."] });
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Options(server)));

        ChatResponse response = await router.GetStreamingResponseAsync($"Write to {Email}.", new ChatOptions { ModelId = "gpt-4o" }.WithRouterKey("client")).ToChatResponseAsync();

        Assert.DoesNotContain(Email, Assert.Single(server.Requests).RawBody, StringComparison.Ordinal);
        Assert.Equal($"Sent to {Email} today.", response.Text);
        Assert.Equal(1, response.GetRouteInfo()!.PiiFindings![PiiKinds.Email]);
    }

    [Fact]
    public async Task A_tool_result_made_by_AIFunctionFactory_is_redacted_inside_its_json_before_it_leaves()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply("Write to [EMAIL_1] or call [PHONE_1]."));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Options(server)));
        ChatMessage[] messages = await ConversationWithToolResultAsync();

        ChatResponse response = await router.GetResponseAsync(messages, new ChatOptions { ModelId = "gpt-4o" }.WithRouterKey("client"));

        string body = Assert.Single(server.Requests).RawBody;
        Assert.DoesNotContain("alice.muster", body, StringComparison.Ordinal);
        Assert.DoesNotContain("668 18 00", body, StringComparison.Ordinal);
        Assert.Contains("[EMAIL_1]", body, StringComparison.Ordinal);
        Assert.Contains("[PHONE_1]", body, StringComparison.Ordinal);
        Assert.Contains("Alice Muster", body, StringComparison.Ordinal);
        Assert.Equal($"Write to {Email} or call {Phone}.", response.Text);
        Assert.Equal(new Dictionary<string, int> { [PiiKinds.Email] = 1, [PiiKinds.Phone] = 1 }, response.GetRouteInfo()!.PiiFindings);

        // The caller's tool result is untouched.
        var result = Assert.IsType<JsonElement>(Assert.IsType<FunctionResultContent>(messages[2].Contents[0]).Result);
        Assert.Equal(Email, result.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_tool_result_made_by_AIFunctionFactory_is_blocked_where_its_kind_is_blocked()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Options(server, PiiAction.Block)));

        var refusal = await Assert.ThrowsAsync<PolicyViolationException>(async () =>
            await router.GetResponseAsync(await ConversationWithToolResultAsync(), new ChatOptions { ModelId = "gpt-4o" }.WithRouterKey("client")));

        Assert.Equal(ReasonCodes.PolicyViolation, refusal.ReasonCode);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Tool_call_arguments_parsed_by_the_OpenAI_SDK_are_restored_for_the_caller_and_redacted_again_when_sent_back()
    {
        await using var server = await OpenAIWireServer.StartAsync();
        server.Enqueue(
            WireBehavior.CallTool("send_mail", """{"to":"[EMAIL_1]","cc":["[EMAIL_1]"],"details":{"[EMAIL_1]":"primary"},"subject":"Invoice"}"""),
            WireBehavior.Reply("Mail sent."));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(Options(server)));
        List<ChatMessage> messages = [new(ChatRole.User, $"Send the invoice to {Email}.")];
        ChatOptions options = new ChatOptions { ModelId = "gpt-4o", Tools = [AIFunctionFactory.Create((string to, string[] cc, string subject) => "sent", "send_mail")] }.WithRouterKey("client");

        ChatResponse response = await router.GetResponseAsync(messages, options);

        FunctionCallContent call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        var to = Assert.IsType<JsonElement>(call.Arguments!["to"]);
        Assert.Equal(Email, to.GetString());
        Assert.Equal(Email, Assert.IsType<JsonElement>(call.Arguments["cc"])[0].GetString());
        Assert.Equal("primary", Assert.IsType<JsonElement>(call.Arguments["details"]).GetProperty(Email).GetString());
        Assert.Equal("Invoice", Assert.IsType<JsonElement>(call.Arguments["subject"]).GetString());

        messages.AddRange(response.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sent")]));
        await router.GetResponseAsync(messages, options);

        string second = server.Requests[1].RawBody;
        Assert.DoesNotContain("alice.muster", second, StringComparison.Ordinal);
        Assert.Contains("[EMAIL_1]", second, StringComparison.Ordinal);
    }

    /// <summary>A conversation whose last message is a tool result made the way function invocation makes it: by an <see cref="AIFunction"/> from <see cref="AIFunctionFactory"/>.</summary>
    private static async Task<ChatMessage[]> ConversationWithToolResultAsync()
    {
        AIFunction lookup = AIFunctionFactory.Create((string id) => new Customer(id, "Alice Muster", Email, [Phone]), "lookup_customer");
        object? result = await lookup.InvokeAsync(new AIFunctionArguments { ["id"] = "42" });
        Assert.IsType<JsonElement>(result);
        return
        [
            new(ChatRole.User, "Who is customer 42?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup_customer", new Dictionary<string, object?> { ["id"] = "42" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", result)]),
        ];
    }

    private sealed record Customer(string Id, string Name, string Email, string[] Phones);
}
