using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies.Pii;

/// <summary>What actually goes over the wire to an OpenAI-compatible provider when its region's policy redacts.</summary>
public sealed class PiiOverHttpTests
{
    private const string Email = "alice.muster@example.ch";

    private static LlmRouterOptions Options(OpenAIWireServer server)
    {
        var options = new LlmRouterOptions();
        options.Providers["openai"] = WireProviders.OpenAI(server);
        options.Providers["openai"].Region = "us";
        options.Models["gpt-4o"] = WireProviders.Alias("openai", "gpt-4o-2024-08-06");
        options.Keys["client"] = new KeyOptions
        {
            Models = ["gpt-4o"],
            Regions = ["us"],
            Pii = new PiiPolicyOptions { Regions = { ["us"] = PiiAction.Redact }, RestoreInResponse = true },
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
}
