using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace LlmRouter.Tests.Costs;

public class TokenCountingTests
{
    [Theory]
    [InlineData("gpt-4o", "O200kBase", true)]
    [InlineData("gpt-4o-mini-2024-07-18", "O200kBase", true)]
    [InlineData("gpt-4.1-nano", "O200kBase", true)]
    [InlineData("o3-mini", "O200kBase", true)]
    [InlineData("o1", "O200kBase", true)]
    [InlineData("gpt-5.4", "O200kBase", true)]
    [InlineData("azure/gpt-4o", "O200kBase", true)]
    [InlineData("ft:gpt-4o-2024-08-06:acme::x", "O200kBase", true)]
    [InlineData("gpt-4", "Cl100kBase", true)]
    [InlineData("gpt-4-turbo", "Cl100kBase", true)]
    [InlineData("gpt-35-turbo", "Cl100kBase", true)]
    [InlineData("gpt-3.5-turbo-0125", "Cl100kBase", true)]
    [InlineData("claude-sonnet-4-5", "O200kBase", false)]
    [InlineData("mistral-large-latest", "O200kBase", false)]
    [InlineData("o1ne-model", "O200kBase", false)]
    public void Each_model_is_counted_with_its_encoding_or_an_approximation_marked_as_such(string model, string encoding, bool exact) =>
        Assert.Equal(new TokenizerChoice(Enum.Parse<TokenEncoding>(encoding), exact), TokenCounting.ChoiceFor(model));

    [Fact]
    public void Tokenizers_are_created_once_and_shared() =>
        Assert.Same(TokenCounting.For(TokenEncoding.O200kBase), TokenCounting.For(TokenEncoding.O200kBase));

    [Fact]
    public void The_tokenizers_are_the_real_tiktoken_encodings()
    {
        // Known counts: "hello world" is 2 tokens in both encodings; the encodings differ on other text.
        Assert.Equal(2, TokenCounting.For(TokenEncoding.O200kBase).CountTokens("hello world"));
        Assert.Equal(2, TokenCounting.For(TokenEncoding.Cl100kBase).CountTokens("hello world"));
        const string text = "Grüezi! Die Verrechnung erfolgt gemäss Art. 957a OR — 請求書は月末に発行されます。";
        Assert.NotEqual(TokenCounting.For(TokenEncoding.O200kBase).CountTokens(text), TokenCounting.For(TokenEncoding.Cl100kBase).CountTokens(text));
    }

    public static TheoryData<string> Texts => new()
    {
        "Plain English prose about routing requests to the cheapest deployment that can serve them.",
        "Grüezi! Die Verrechnung erfolgt gemäss Art. 957a OR — 請求書は月末に発行されます。 Ελληνικά, русский, عربى 🚀🔥",
        "{\"id\": 42, \"items\": [1, 2, 3], \"nested\": {\"deep\": [true, false, null]}}\n    if (x == y) { return; }",
        new string(' ', 500) + new string('a', 500) + "\t\t\n\n" + new string('9', 300),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Both_bounds_are_never_below_the_count(string text)
    {
        ChatMessage[] messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, text) { AuthorName = "alice" }];
        var options = new ChatOptions { Instructions = "Answer in one line." };
        foreach (TokenEncoding encoding in Enum.GetValues<TokenEncoding>())
        {
            long count = PromptMeasure.Count(messages, options, TokenCounting.For(encoding));
            Assert.True(PromptMeasure.ByteBound(messages, options).Tokens >= count);
            Assert.True(PromptMeasure.CharBound(messages, options).Tokens >= PromptMeasure.ByteBound(messages, options).Tokens);
            Assert.False(PromptMeasure.ByteBound(messages, options).Unbounded);
        }
    }

    [Fact]
    public void The_count_uses_the_chat_framing_documented_for_OpenAI_models()
    {
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What does a token cost?")];

        long expected = 4 + PricingFixtures.O200k.CountTokens("Be brief.") + 4 + PricingFixtures.O200k.CountTokens("What does a token cost?") + 3;
        Assert.Equal(expected, PromptMeasure.Count(messages, null, TokenCounting.For(TokenEncoding.O200kBase)));
    }

    [Fact]
    public void Images_tools_and_tool_calls_are_part_of_the_prompt()
    {
        var image = new DataContent(new byte[2048], "image/png");
        ChatMessage[] withImage = [new(ChatRole.User, [new TextContent("What is this?"), image])];
        ChatMessage[] textOnly = [new(ChatRole.User, "What is this?")];
        Tokenizer o200k = TokenCounting.For(TokenEncoding.O200kBase);
        Assert.Equal(PromptMeasure.Count(textOnly, null, o200k) + TokenCounting.TokensPerImage, PromptMeasure.Count(withImage, null, o200k));

        var tools = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => "sunny", "weather", "Gets the weather of a city.")] };
        Assert.True(PromptMeasure.Count(textOnly, tools, o200k) > PromptMeasure.Count(textOnly, null, o200k) + 10);

        ChatMessage[] call = [new(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Zürich" })]), new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny, 21 degrees")])];
        Assert.True(PromptMeasure.Count(call, null, o200k) > 8 + 3 + 4);
        Assert.True(PromptMeasure.ByteBound(call, null).Tokens >= PromptMeasure.Count(call, null, o200k));
    }

    [Fact]
    public void Images_documents_links_and_hosted_files_make_a_bound_unbounded_and_the_count_an_estimate()
    {
        AIContent[] opaque =
        [
            new DataContent(new byte[2048], "image/png"),
            new DataContent(new byte[2048], "application/pdf"),
            new DataContent(new byte[2048], "audio/wav"),
            new UriContent(new Uri("https://example.com/cat.png"), "image/png"),
            new UriContent(new Uri("https://example.com/ledger.pdf"), "application/pdf"),
            new HostedFileContent("file-ledger"),
        ];
        Tokenizer o200k = TokenCounting.For(TokenEncoding.O200kBase);
        foreach (AIContent content in opaque)
        {
            ChatMessage[] messages = [new(ChatRole.User, [new TextContent("What is this?"), content])];
            Assert.True(PromptMeasure.ByteBound(messages, null).Unbounded, content.GetType().Name);
            Assert.True(PromptMeasure.CharBound(messages, null).Unbounded, content.GetType().Name);
            Assert.True(PromptMeasure.ByteBound(messages, null).Tokens >= PromptMeasure.Count(messages, null, o200k));
        }
    }

    [Fact]
    public void The_transcript_of_a_stream_counts_exactly_what_the_tokenizer_counts_for_the_whole_text()
    {
        string[] chunks = ["The router", " priced", " this stream", " by counting", " what it received: ", "日本語も", " 🚀."];
        using var transcript = new StreamTranscript();
        foreach (string chunk in chunks)
        {
            transcript.Append([new TextContent(chunk)]);
        }

        transcript.Append([new TextReasoningContent("thinking about it")]);

        TokenUsage counted = transcript.Count(TokenCounting.For(TokenEncoding.O200kBase));
        Assert.Equal(PricingFixtures.O200k.CountTokens(string.Concat(chunks)), counted.OutputTokens);
        Assert.Equal(PricingFixtures.O200k.CountTokens("thinking about it"), counted.ReasoningTokens);
    }

    [Fact]
    public void A_long_transcript_grows_its_pooled_buffer_without_losing_text()
    {
        var text = new StringBuilder();
        using var transcript = new StreamTranscript();
        for (int i = 0; i < 5000; i++)
        {
            string chunk = $" word{i}";
            text.Append(chunk);
            transcript.Append([new TextContent(chunk)]);
        }

        Assert.Equal(PricingFixtures.O200k.CountTokens(text.ToString()), transcript.Count(TokenCounting.For(TokenEncoding.O200kBase)).OutputTokens);
    }
}
