using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Policies.Pii;

/// <summary>
/// The PII guard end to end: redact before sending to the US, allow in Switzerland, block card numbers everywhere —
/// applied per attempt to the region actually called, restored in the answer when asked, and counted on the route.
/// </summary>
public sealed class PiiGuardTests
{
    private const string Email = "alice.muster@example.ch";
    private const string Card = "4111 1111 1111 1111";
    private const string Iban = "CH93 0076 2011 6238 5295 7";

    private sealed record Setup(LlmRouterClient Router, Dictionary<string, EchoChatClient> Providers) : IAsyncDisposable
    {
        public Task<ChatResponse> AskAsync(string model, string prompt, string key = "client") =>
            Router.GetResponseAsync(prompt, new ChatOptions { ModelId = model }.WithRouterKey(key));

        public int Calls => Providers.Values.Sum(p => p.Calls);

        public ValueTask DisposeAsync() => Router.DisposeAsync();
    }

    /// <summary>Aliases <c>us-model</c> (region us), <c>ch-model</c> (ch), <c>us-first</c> (us, falls back to ch-model), <c>ch-first</c> (ch, falls back to us-model).</summary>
    private static Setup Create(PiiPolicyOptions? pii, Action<LlmRouterOptions>? configure = null, Dictionary<string, Func<Exception?>>? failures = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["us"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "us" };
        options.Providers["ch"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Providers["us-flaky"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "us" };
        options.Providers["ch-flaky"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["us-model"] = Routers.Model(("us", "gpt-4o"));
        options.Models["ch-model"] = Routers.Model(("ch", "swiss-large"));
        options.Models["us-first"] = Routers.Model(("us-flaky", "gpt-4o"));
        options.Models["us-first"].Fallbacks = ["ch-model"];
        options.Models["ch-first"] = Routers.Model(("ch-flaky", "swiss-large"));
        options.Models["ch-first"].Fallbacks = ["us-model"];
        options.Keys["client"] = new KeyOptions { Models = ["*"], Regions = ["us", "ch"], Pii = pii };
        configure?.Invoke(options);

        var providers = options.Providers.Keys.ToDictionary(
            name => name,
            name => new EchoChatClient(failures?.GetValueOrDefault(name) ?? (name.EndsWith("-flaky", StringComparison.Ordinal) ? () => new TimeoutException() : null)));
        LlmRouterClient router = Routers.Create(options, configure: b =>
        {
            foreach ((string name, EchoChatClient client) in providers)
            {
                b.AddProvider(name, client);
            }
        });

        return new Setup(router, providers);
    }

    private static PiiPolicyOptions RedactInUsBlockCards(bool restore = false) => new()
    {
        Default = PiiAction.Allow,
        Regions = { ["us"] = PiiAction.Redact },
        Kinds = { [PiiKinds.Card] = PiiAction.Block },
        RestoreInResponse = restore,
    };

    [Fact]
    public async Task Personal_data_is_replaced_with_typed_placeholders_before_it_leaves_for_a_region_that_redacts()
    {
        await using Setup setup = Create(RedactInUsBlockCards());

        ChatResponse response = await setup.AskAsync("us-model", $"Write to {Email} about IBAN {Iban}; cc {Email}.");

        string sent = Assert.Single(setup.Providers["us"].Sent)[0].Text;
        Assert.Equal("Write to [EMAIL_1] about IBAN [IBAN_1]; cc [EMAIL_1].", sent);
        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(new Dictionary<string, int> { [PiiKinds.Email] = 2, [PiiKinds.Iban] = 1 }, route.PiiFindings);
        Assert.Equal("Noted: Write to [EMAIL_1] about IBAN [IBAN_1]; cc [EMAIL_1].", response.Text);
    }

    [Fact]
    public async Task The_same_request_is_sent_as_it_is_to_a_region_that_allows_it()
    {
        await using Setup setup = Create(RedactInUsBlockCards());
        string prompt = $"Write to {Email}.";

        RouteInfo route = (await setup.AskAsync("ch-model", prompt)).GetRouteInfo()!;

        Assert.Equal(prompt, Assert.Single(setup.Providers["ch"].Sent)[0].Text);
        Assert.Equal(1, route.PiiFindings![PiiKinds.Email]);
    }

    [Fact]
    public async Task Different_values_get_different_numbers_and_the_callers_messages_are_not_modified()
    {
        await using Setup setup = Create(new PiiPolicyOptions { Default = PiiAction.Redact });
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You assist the fiduciary at +41 44 668 18 00."),
            new(ChatRole.User, $"Forward {Email} and bob@example.org to ops."),
        ];

        await setup.Router.GetResponseAsync(messages, new ChatOptions { ModelId = "ch-model" }.WithRouterKey("client"));

        IReadOnlyList<ChatMessage> sent = Assert.Single(setup.Providers["ch"].Sent);
        Assert.Equal("You assist the fiduciary at [PHONE_1].", sent[0].Text);
        Assert.Equal("Forward [EMAIL_1] and [EMAIL_2] to ops.", sent[1].Text);
        Assert.Equal($"Forward {Email} and bob@example.org to ops.", messages[1].Text);
        Assert.Equal(ChatRole.System, sent[0].Role);
    }

    [Fact]
    public async Task Placeholders_in_the_answer_are_restored_for_the_caller_while_the_provider_never_saw_the_values()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: true));

        ChatResponse response = await setup.AskAsync("us-model", $"Confirm {Email} and {Iban}.");

        Assert.DoesNotContain(Email, setup.Providers["us"].AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Iban, setup.Providers["us"].AllText, StringComparison.Ordinal);
        Assert.Equal($"Noted: Confirm {Email} and {Iban}.", response.Text);
    }

    [Fact]
    public async Task A_streamed_answer_is_restored_even_when_a_placeholder_is_split_across_updates()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: true));
        var options = new ChatOptions { ModelId = "us-model" }.WithRouterKey("client");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in setup.Router.GetStreamingResponseAsync($"Confirm {Email}, {Iban} and [NOT_A_PLACEHOLDER] [EMA", options))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Confirm [EMAIL_1], [IBAN_1] and [NOT_A_PLACEHOLDER] [EMA", setup.Providers["us"].Sent[0][0].Text);
        Assert.Equal($"Noted: Confirm {Email}, {Iban} and [NOT_A_PLACEHOLDER] [EMA", response.Text);
        Assert.DoesNotContain("EMAIL_", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.NotNull(response.GetRouteInfo());
    }

    [Fact]
    public async Task Without_restoring_the_caller_gets_the_placeholders()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: false));

        ChatResponse response = await setup.Router.GetStreamingResponseAsync($"Confirm {Email}.", new ChatOptions { ModelId = "us-model" }.WithRouterKey("client")).ToChatResponseAsync();

        Assert.Equal("Noted: Confirm [EMAIL_1].", response.Text);
    }

    [Fact]
    public async Task A_kind_blocked_everywhere_refuses_the_request_before_any_provider_is_contacted()
    {
        await using Setup setup = Create(RedactInUsBlockCards());

        var refusal = await Assert.ThrowsAsync<PolicyViolationException>(() => setup.AskAsync("ch-model", $"Charge {Card} and mail {Email}."));

        Assert.Equal(0, setup.Calls);
        Assert.Equal(ReasonCodes.PolicyViolation, refusal.ReasonCode);
        Assert.True(refusal.IsRejection);
        Assert.Equal(new Dictionary<string, int> { [PiiKinds.Card] = 1, [PiiKinds.Email] = 1 }, refusal.Findings);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal(refusal.Findings, refusal.Route.PiiFindings);
        Assert.DoesNotContain("4111", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, refusal.Message, StringComparison.Ordinal);
        Assert.Equal("The request contains personal data the caller's policy does not allow to be sent anywhere: card (1) email (1).", refusal.Message);
    }

    [Fact]
    public async Task A_region_that_blocks_is_skipped_and_the_request_goes_to_an_allowed_fallback()
    {
        await using Setup setup = Create(
            new PiiPolicyOptions { Regions = { ["us"] = PiiAction.Block } },
            configure: o => o.Models["us-model"].Fallbacks = ["ch-model"]);

        RouteInfo route = (await setup.AskAsync("us-model", $"Mail {Email}.")).GetRouteInfo()!;

        Assert.Equal(0, setup.Providers["us"].Calls);
        Assert.Equal("ch", route.Region);
        Assert.Equal(
            [("us-model", AttemptOutcome.Skipped, SkipReasons.PolicyViolation), ("ch-model", AttemptOutcome.Succeeded, null)],
            route.Attempts.Select(a => (a.Model, a.Outcome, a.SkipReason)));
    }

    [Fact]
    public async Task When_every_region_that_could_serve_blocks_the_request_is_refused_as_a_policy_violation()
    {
        await using Setup setup = Create(new PiiPolicyOptions { Regions = { ["us"] = PiiAction.Block } });

        var refusal = await Assert.ThrowsAsync<PolicyViolationException>(() => setup.AskAsync("us-model", $"Mail {Email}."));
        RouteInfo allowed = (await setup.AskAsync("us-model", "No personal data here.")).GetRouteInfo()!;

        Assert.Equal(1, setup.Calls);
        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal(SkipReasons.PolicyViolation, Assert.Single(refusal.Route.Attempts).SkipReason);
        Assert.Contains("to any region that could serve it", refusal.Message, StringComparison.Ordinal);
        Assert.Null(allowed.PiiFindings);
    }

    [Fact]
    public async Task A_fallback_from_the_us_to_switzerland_sends_each_region_what_its_policy_allows()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: true));

        ChatResponse response = await setup.AskAsync("us-first", $"Mail {Email}.");

        Assert.Equal($"Mail [EMAIL_1].", Assert.Single(setup.Providers["us-flaky"].Sent)[0].Text);
        Assert.Equal($"Mail {Email}.", Assert.Single(setup.Providers["ch"].Sent)[0].Text);
        Assert.Equal($"Noted: Mail {Email}.", response.Text);
        Assert.Equal("ch", response.GetRouteInfo()!.Region);
    }

    [Fact]
    public async Task A_fallback_from_switzerland_to_the_us_never_sends_the_us_the_values()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: true));

        ChatResponse streamed = await setup.Router.GetStreamingResponseAsync($"Mail {Email}.", new ChatOptions { ModelId = "ch-first" }.WithRouterKey("client")).ToChatResponseAsync();

        Assert.Equal($"Mail {Email}.", Assert.Single(setup.Providers["ch-flaky"].Sent)[0].Text);
        Assert.Equal("Mail [EMAIL_1].", Assert.Single(setup.Providers["us"].Sent)[0].Text);
        Assert.Equal($"Noted: Mail {Email}.", streamed.Text);
        Assert.Equal("us", streamed.GetRouteInfo()!.Region);
    }

    [Fact]
    public async Task Instructions_tool_results_and_tool_arguments_are_redacted_too()
    {
        await using Setup setup = Create(new PiiPolicyOptions { Default = PiiAction.Redact });
        List<ChatMessage> messages =
        [
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["email"] = Email, ["limit"] = 3 })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", $"Found {Iban}")]),
            new(ChatRole.User, "Summarize."),
        ];
        var options = new ChatOptions { ModelId = "ch-model", Instructions = $"The client's phone is +41 79 123 45 67." }.WithRouterKey("client");

        RouteInfo route = (await setup.Router.GetResponseAsync(messages, options)).GetRouteInfo()!;

        IReadOnlyList<ChatMessage> sent = Assert.Single(setup.Providers["ch"].Sent);
        Assert.Equal("The client's phone is [PHONE_1].", Assert.Single(setup.Providers["ch"].Instructions));
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(sent[0].Contents));
        Assert.Equal(("[EMAIL_1]", 3), ((string)call.Arguments!["email"]!, (int)call.Arguments["limit"]!));
        Assert.Equal("Found [IBAN_1]", Assert.IsType<FunctionResultContent>(Assert.Single(sent[1].Contents)).Result);
        Assert.Same(messages[2], sent[2]);
        Assert.Equal(3, route.PiiFindings!.Values.Sum());
        Assert.Equal("The client's phone is +41 79 123 45 67.", options.Instructions);
    }

    [Fact]
    public async Task A_request_without_personal_data_is_sent_as_the_same_objects_and_records_no_findings()
    {
        await using Setup setup = Create(new PiiPolicyOptions { Default = PiiAction.Redact });
        List<ChatMessage> messages = [new(ChatRole.User, "Summarize the Q3 ledger (CHF 12 345.60, closed 2026-09-30).")];

        RouteInfo route = (await setup.Router.GetResponseAsync(messages, new ChatOptions { ModelId = "us-model" }.WithRouterKey("client"))).GetRouteInfo()!;

        Assert.Same(messages[0], Assert.Single(Assert.Single(setup.Providers["us"].Sent)));
        Assert.Null(route.PiiFindings);
    }

    [Fact]
    public async Task Allow_everywhere_still_counts_what_was_found_for_the_audit()
    {
        await using Setup setup = Create(new PiiPolicyOptions { Default = PiiAction.Allow });

        RouteInfo route = (await setup.AskAsync("us-model", $"Mail {Email} from 10.0.0.1.")).GetRouteInfo()!;

        Assert.Equal(new Dictionary<string, int> { [PiiKinds.Email] = 1, [PiiKinds.IpAddress] = 1 }, route.PiiFindings);
        Assert.Equal($"Mail {Email} from 10.0.0.1.", setup.Providers["us"].Sent[0][0].Text);
    }

    [Fact]
    public async Task A_key_without_a_policy_of_its_own_follows_its_tenants_and_one_without_either_is_not_scanned()
    {
        await using Setup setup = Create(null, o =>
        {
            o.Tenants["acme"] = new TenantOptions { Pii = new PiiPolicyOptions { Default = PiiAction.Redact } };
            o.Keys["client"].Tenant = "acme";
            o.Keys["other"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
        });

        RouteInfo tenant = (await setup.AskAsync("ch-model", $"Mail {Email}.")).GetRouteInfo()!;
        RouteInfo unscanned = (await setup.AskAsync("ch-model", $"Mail {Email}.", key: "other")).GetRouteInfo()!;

        Assert.Equal(["Mail [EMAIL_1].", $"Mail {Email}."], setup.Providers["ch"].Sent.Select(m => m[0].Text));
        Assert.NotNull(tenant.PiiFindings);
        Assert.Null(unscanned.PiiFindings);
    }

    [Fact]
    public async Task The_route_holds_counts_never_the_values()
    {
        await using Setup setup = Create(RedactInUsBlockCards(restore: true));

        RouteInfo route = (await setup.AskAsync("us-model", $"Mail {Email}.")).GetRouteInfo()!;

        Assert.DoesNotContain(Email, route.ToString(), StringComparison.Ordinal);
        Assert.Null(route.Pii);
        Assert.Null(route.AttemptMessages);
    }
}
