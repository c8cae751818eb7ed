using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies.Pii;

/// <summary>Personal data inside the JSON of tool results and arguments: found in every string, redacted by rebuilding the JSON, restored the same way.</summary>
public class PiiJsonTests
{
    private static readonly PiiPolicy Redact = PiiPolicy.Compile(new PiiPolicyOptions { Default = PiiAction.Redact });

    [Fact]
    public void Strings_at_any_depth_and_property_names_are_scanned_and_escapes_do_not_hide_a_value()
    {
        JsonElement json = JsonElement.Parse("""{"customer":{"contacts":[{"mail":"alice\u0040example.ch"}],"bob@example.ch":true,"count":3}}""");

        List<PiiJson.Finding> findings = Assert.IsType<List<PiiJson.Finding>>(PiiJson.Scan(json));

        Assert.Equal(["alice@example.ch", "bob@example.ch"], findings.Select(f => f.Text));
    }

    [Fact]
    public void A_rebuilt_value_keeps_everything_but_the_replaced_strings()
    {
        JsonElement json = JsonElement.Parse("""{"to":"alice@example.ch","n":1.50,"ok":false,"none":null,"tags":["a","b"]}""");
        int ordinal = PiiJson.Scan(json)!.Single().Ordinal;

        JsonElement rebuilt = PiiJson.Rebuild(json, new Dictionary<int, string> { [ordinal] = "[EMAIL_1]" });

        Assert.Equal("""{"to":"[EMAIL_1]","n":1.50,"ok":false,"none":null,"tags":["a","b"]}""", rebuilt.GetRawText());
    }

    [Fact]
    public void A_tool_result_object_that_is_not_json_yet_is_scanned_as_the_json_it_is_sent_as()
    {
        ChatMessage[] messages = [new(ChatRole.Tool, [new FunctionResultContent("call-1", new { Name = "Alice", Mail = "alice@example.ch" })])];

        PiiRequest pii = PiiRequest.Scan(messages, new ChatOptions(), Redact)!;
        IList<ChatMessage> sent = pii.Prepare("us", out int redactions)!;

        Assert.Equal(1, redactions);
        var result = Assert.IsType<JsonElement>(Assert.IsType<FunctionResultContent>(sent[0].Contents[0]).Result);
        Assert.Equal("[EMAIL_1]", result.GetProperty("mail").GetString());
    }

    [Fact]
    public void Scanning_a_json_tool_result_without_personal_data_allocates_nothing()
    {
        JsonElement result = JsonSerializer.SerializeToElement(new { name = "Alice", orders = new[] { "A-1", "B-2" }, note = new string('x', 2000), total = 12.5 });
        ChatMessage[] messages =
        [
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["query"] = JsonElement.Parse("""{"id":42,"name":"Alice"}""") })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", result)]),
        ];
        var options = new ChatOptions();
        for (int i = 0; i < 3; i++)
        {
            PiiRequest.Scan(messages, options, Redact);
        }

        const int Scans = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < Scans; i++)
        {
            found += PiiRequest.Scan(messages, options, Redact) is null ? 0 : 1;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, found);
        Assert.True(allocated < Scans * 24, $"{allocated} bytes allocated by {Scans} scans");
    }
}
