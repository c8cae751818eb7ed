using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// Attempts to get past a key's whitelist with a name that is almost an allowed one, or that would match a pattern if
/// names were compared loosely. Every one is refused, and no provider ever sees a request.
/// </summary>
public class ModelNameBypassTests
{
    private const string LongName = "mistral-eu-";

    public static TheoryData<string?> Corpus => new()
    {
        // Case variants.
        "MISTRAL-EU-LARGE",
        "Mistral-eu-large",
        "mistral-EU-large",
        "GPT-4O",
        // Leading and trailing whitespace, tabs, line breaks.
        " mistral-eu-large",
        "mistral-eu-large ",
        "\tmistral-eu-large",
        "mistral-eu-large\t",
        "mistral-eu-large\n",
        "mistral-eu-large\r\n",
        "mistral-eu-large\u00a0",
        // Zero-width and invisible characters.
        "\u200bmistral-eu-large",
        "mistral-eu-large\u200b",
        "mistral\u200d-eu-large",
        "mistral-eu-\ufefflarge",
        "\u2060gpt-4o",
        // Non-ASCII look-alikes: Cyrillic а, і, о, е; fullwidth letters; a non-breaking hyphen.
        "mistral-eu-l\u0430rge",
        "m\u0456stral-eu-large",
        "gpt-4\u043e",
        "claud\u0435-haiku-eu",
        "\uff4d\uff49\uff53\uff54\uff52\uff41\uff4c-eu-large",
        "mistral\u2011eu-large",
        // Wildcards inside requested names.
        "*",
        "mistral-eu-*",
        "mistral-eu-?",
        "mistral-eu-large*",
        "gpt-*",
        "?",
        "gpt-4?",
        "claude-haiku-e?",
        // A control character, a path, an empty and a missing name.
        "mistral-eu-large\0",
        "../gpt-4o",
        "",
        null,
        // A 10,000-character name, with and without an allowed prefix.
        LongName + new string('a', 10_000 - LongName.Length),
        new string('x', 10_000),
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_name_that_is_not_exactly_an_allowed_alias_is_refused_without_a_provider_call(string? model)
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAnyAsync<LlmRouterException>(() => router.AskAsync(PolicyRouter.ClientKey, model));

        Assert.Equal(0, router.Calls);
        AssertRefused(refusal, model);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Even_a_key_allowed_every_model_gets_no_near_match(string? model)
    {
        await using var router = PolicyRouter.Create(options => options.Keys["all"] = new KeyOptions { Models = ["*"], Regions = ["*"] });

        var refusal = await Assert.ThrowsAnyAsync<LlmRouterException>(() => router.AskAsync("all", model));

        Assert.Equal(0, router.Calls);
        Assert.IsType<UnknownModelException>(refusal);
        AssertRefused(refusal, model);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Streams_get_no_near_match_either(string? model)
    {
        await using var router = PolicyRouter.Create();

        var refusal = await Assert.ThrowsAnyAsync<LlmRouterException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.Router.GetStreamingResponseAsync("hi", PolicyRouter.As(PolicyRouter.ClientKey, model)))
            {
                Assert.Fail("no update expected");
            }
        });

        Assert.Equal(0, router.Calls);
        AssertRefused(refusal, model);
    }

    [Fact]
    public async Task The_exact_names_are_served_so_the_corpus_is_refused_for_its_differences_alone()
    {
        await using var router = PolicyRouter.Create();

        foreach (string model in new[] { "mistral-eu-large", "mistral-eu-small", "claude-haiku-eu" })
        {
            Assert.Equal(RouteStatus.Served, (await router.AskAsync(PolicyRouter.ClientKey, model)).GetRouteInfo()!.Status);
        }
    }

    private static void AssertRefused(LlmRouterException refusal, string? model)
    {
        Assert.True(refusal.IsRejection);
        Assert.Contains(refusal.ReasonCode, new[] { ReasonCodes.ModelNotAllowed, ReasonCodes.UnknownModel });
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal(model, refusal.Route.RequestedModel);
        Assert.DoesNotContain(refusal.Route.Attempts, a => a.Outcome != AttemptOutcome.Skipped);

        // A hostile name can neither flood nor forge a message: it is cut and its control characters escaped.
        Assert.True(refusal.Message.Length < 300, refusal.Message);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.DoesNotContain('\0', refusal.Message);
    }
}
