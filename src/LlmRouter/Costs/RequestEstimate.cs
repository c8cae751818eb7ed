using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// What one request is expected to use: its prompt's size and its output cap, and from them its cost on a deployment.
/// Every measure is computed at most once per request, and only when a decision asks for it: the cheapest safe bound
/// first, a tokenizer count only when the bound would change the decision.
/// </summary>
/// <remarks>
/// <para>
/// The context-window check, the <c>LowestCost</c> strategy and the pricing of calls whose provider reported no usage use
/// it today; the budget and rate-limit layers read <see cref="PromptTokenBound"/>, <see cref="OutputCap"/> and
/// <see cref="WorstCaseCost"/>. The request's messages are released when the request completes.
/// </para>
/// <para>Not thread-safe: one request is processed by one flow at a time.</para>
/// </remarks>
internal sealed class RequestEstimate
{
    private static readonly PricingOptions DefaultPricing = new();

    // The prompt and the options are read through the route, which holds them until the request completes.
    private readonly RouteInfo _route;

    // Zero when the request set no limit of its own: an int? would take 8 bytes.
    private readonly int _requestedMaxOutputTokens;

    // The bounds' token counts, -1 until measured, and whether each is unbounded: a PromptSize? would take 24 bytes.
    private long _charBound = -1;
    private long _byteBound = -1;
    private bool _charUnbounded;
    private bool _byteUnbounded;
    private long _o200k = -1;
    private long _cl100k = -1;

    public RequestEstimate(RouteInfo route)
    {
        _route = route;

        // Taken once: the budget layer caps the output of single attempts on the options, which must not read as the caller's limit.
        _requestedMaxOutputTokens = route.RequestOptions?.MaxOutputTokens is int max && max > 0 ? max : 0;
    }

    /// <summary>Gets how many times the prompt went through a tokenizer (at most once per encoding).</summary>
    public int Tokenizations => (_o200k >= 0 ? 1 : 0) + (_cl100k >= 0 ? 1 : 0);

    /// <summary>Gets the request's own output limit, if it set one.</summary>
    public int? RequestedMaxOutputTokens => _requestedMaxOutputTokens > 0 ? _requestedMaxOutputTokens : null;

    /// <summary>
    /// Gets a safe upper bound on the tokens of the prompt's text under any byte-level tokenizer: its UTF-8 size plus
    /// framing allowances. Cheap (vectorized, no allocation) and computed at most once. Content the router cannot size counts at its
    /// estimate only (<see cref="PromptUnbounded"/>): a limit reads <see cref="PromptTokenLimit"/> instead.
    /// </summary>
    public long PromptTokenBound => ByteBound.Tokens;

    /// <summary>Gets an upper bound from string lengths alone: no text is read. Looser than <see cref="PromptTokenBound"/>.</summary>
    public long PromptCharBound => CharBound.Tokens;

    /// <summary>Gets whether the prompt holds content whose size cannot be bounded: an image, audio, a document, a link or a hosted file.</summary>
    public bool PromptUnbounded => ByteBound.Unbounded;

    /// <summary>Gets the output a request is expected to produce when choosing by cost: its own limit, else <see cref="PricingOptions.DefaultMaxOutputTokens"/>.</summary>
    public long ExpectedOutputTokens => RequestedMaxOutputTokens ?? Pricing.DefaultMaxOutputTokens;

    private PricingOptions Pricing => _route.Table?.Options.Pricing ?? DefaultPricing;

    private PromptSize ByteBound => _byteBound >= 0 ? new(_byteBound, _byteUnbounded) : Keep(PromptMeasure.ByteBound(Messages, Options), out _byteBound, out _byteUnbounded);

    private PromptSize CharBound => _charBound >= 0 ? new(_charBound, _charUnbounded) : Keep(PromptMeasure.CharBound(Messages, Options), out _charBound, out _charUnbounded);

    private ChatOptions? Options => _route.RequestOptions;

    private IEnumerable<ChatMessage> Messages =>
        _route.RequestMessages ?? throw new InvalidOperationException("The request has completed; its prompt is no longer held.");

    /// <summary>Counts the prompt's tokens with the deployment's tokenizer (exact for OpenAI models, an approximation for others), at most once per encoding.</summary>
    public long PromptTokens(Deployment deployment) => PromptTokens(deployment.Tokenizer.Encoding);

    public long PromptTokens(TokenEncoding encoding)
    {
        ref long counted = ref encoding == TokenEncoding.Cl100kBase ? ref _cl100k : ref _o200k;
        if (counted < 0)
        {
            counted = PromptMeasure.Count(Messages, Options, TokenCounting.For(encoding));
        }

        return counted;
    }

    /// <summary>
    /// Counts the prompt's tokens exactly — with the deployment's tokenizer when it is the model's own — or returns
    /// <see langword="null"/> when LlmRouter only approximates the model's tokenizer. For a decision the cheap bound would
    /// refuse (a budget, a token rate limit): the count is taken at most once per encoding and shared by every layer.
    /// </summary>
    public long? ExactPromptTokens(Deployment deployment) => deployment.Tokenizer.IsExact ? PromptTokens(deployment) : null;

    /// <summary>
    /// Gets whether the prompt has at most <paramref name="limit"/> tokens on the deployment, tokenizing only when both
    /// bounds exceed the limit (or the prompt holds content no bound covers: then the count's estimate decides).
    /// </summary>
    public bool PromptFits(Deployment deployment, long limit) =>
        limit >= 0 && (Fits(CharBound, limit) || Fits(ByteBound, limit) || PromptTokens(deployment) <= limit);

    /// <summary>
    /// Gets the most prompt tokens the deployment can bill for this request: the prompt's bound, never more than the
    /// model's maximum input (a provider bills no more input than its window takes) — and that maximum when the prompt
    /// holds content no bound covers. <see langword="null"/> when such content meets a model whose maximum is unknown.
    /// </summary>
    /// <param name="deployment">The deployment.</param>
    /// <param name="countPrompt">Whether to take the exact count of the text (<see cref="ExactPromptTokens"/>) instead of its bound, where the model's own tokenizer is known.</param>
    public long? PromptTokenLimit(Deployment deployment, bool countPrompt = false)
    {
        if (PromptUnbounded)
        {
            return deployment.MaxInputTokens;
        }

        // Only a count with the model's own tokenizer may stand in for the bound: an approximation could be too low.
        long prompt = countPrompt ? ExactPromptTokens(deployment) ?? PromptTokenBound : PromptTokenBound;
        return deployment.MaxInputTokens is int window ? Math.Min(prompt, window) : prompt;
    }

    /// <summary>
    /// Gets the most output the request can produce on the deployment: the request's <c>MaxOutputTokens</c>, else the
    /// model's output limit, else <see cref="PricingOptions.DefaultMaxOutputTokens"/> — never more than the model's limit.
    /// </summary>
    public long OutputCap(Deployment deployment)
    {
        long cap = RequestedMaxOutputTokens ?? deployment.MaxOutputTokens ?? Pricing.DefaultMaxOutputTokens;
        return deployment.MaxOutputTokens is int modelLimit ? Math.Min(cap, modelLimit) : cap;
    }

    /// <summary>
    /// Gets the most the request can cost on the deployment — <see cref="PromptTokenLimit"/> prompt tokens at the dearer of
    /// input and cache write, <see cref="OutputCap"/> tokens at the dearer of output and reasoning — or
    /// <see langword="null"/> when the deployment has no price or the prompt cannot be bounded there. From the prompt's
    /// bound unless <paramref name="countPrompt"/> asks for the exact count (<see cref="ExactPromptTokens"/>), which only a
    /// model with its own tokenizer has.
    /// </summary>
    public decimal? WorstCaseCost(Deployment deployment, bool countPrompt = false)
    {
        if (deployment.Price is not { } price || PromptTokenLimit(deployment, countPrompt) is not long prompt)
        {
            return null;
        }

        return price.RatesFor(prompt).WorstCase(prompt, OutputCap(deployment));
    }

    private static PromptSize Keep(PromptSize measured, out long tokens, out bool unbounded)
    {
        tokens = measured.Tokens;
        unbounded = measured.Unbounded;
        return measured;
    }

    private static bool Fits(PromptSize bound, long limit) => !bound.Unbounded && bound.Tokens <= limit;
}
