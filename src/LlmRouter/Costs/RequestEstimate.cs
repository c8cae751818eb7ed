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

    private readonly RouteInfo _route;
    private readonly ChatOptions? _options;
    private readonly int? _requestedMaxOutputTokens;
    private IEnumerable<ChatMessage>? _messages;
    private long _charBound = -1;
    private long _byteBound = -1;
    private long _o200k = -1;
    private long _cl100k = -1;

    public RequestEstimate(RouteInfo route, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        _route = route;
        _messages = messages;
        _options = options;

        // Taken once: the budget layer caps the output of single attempts on the options, which must not read as the caller's limit.
        _requestedMaxOutputTokens = options?.MaxOutputTokens is int max && max > 0 ? max : null;
    }

    /// <summary>Gets how many times the prompt went through a tokenizer (at most once per encoding).</summary>
    public int Tokenizations { get; private set; }

    /// <summary>Gets the request's own output limit, if it set one.</summary>
    public int? RequestedMaxOutputTokens => _requestedMaxOutputTokens;

    /// <summary>
    /// Gets a safe upper bound on the prompt's tokens under any byte-level tokenizer: its UTF-8 size plus framing
    /// allowances. Cheap (vectorized, no allocation) and computed at most once.
    /// </summary>
    public long PromptTokenBound => _byteBound >= 0 ? _byteBound : _byteBound = PromptMeasure.ByteBound(Messages, _options);

    /// <summary>Gets an upper bound from string lengths alone: no text is read. Looser than <see cref="PromptTokenBound"/>.</summary>
    public long PromptCharBound => _charBound >= 0 ? _charBound : _charBound = PromptMeasure.CharBound(Messages, _options);

    /// <summary>Gets the output a request is expected to produce when choosing by cost: its own limit, else <see cref="PricingOptions.DefaultMaxOutputTokens"/>.</summary>
    public long ExpectedOutputTokens => RequestedMaxOutputTokens ?? Pricing.DefaultMaxOutputTokens;

    private PricingOptions Pricing => _route.Table?.Options.Pricing ?? DefaultPricing;

    private IEnumerable<ChatMessage> Messages =>
        _messages ?? throw new InvalidOperationException("The request has completed; its prompt is no longer held.");

    /// <summary>Counts the prompt's tokens with the deployment's tokenizer (exact for OpenAI models, an approximation for others), at most once per encoding.</summary>
    public long PromptTokens(Deployment deployment) => PromptTokens(deployment.Tokenizer.Encoding);

    public long PromptTokens(TokenEncoding encoding)
    {
        ref long counted = ref encoding == TokenEncoding.Cl100kBase ? ref _cl100k : ref _o200k;
        if (counted < 0)
        {
            counted = PromptMeasure.Count(Messages, _options, TokenCounting.For(encoding));
            Tokenizations++;
        }

        return counted;
    }

    /// <summary>
    /// Counts the prompt's tokens exactly — with the deployment's tokenizer when it is the model's own — or returns
    /// <see langword="null"/> when LlmRouter only approximates the model's tokenizer. For a decision the cheap bound would
    /// refuse (a budget, a token rate limit): the count is taken at most once per encoding and shared by every layer.
    /// </summary>
    public long? ExactPromptTokens(Deployment deployment) => deployment.Tokenizer.IsExact ? PromptTokens(deployment) : null;

    /// <summary>Gets whether the prompt has at most <paramref name="limit"/> tokens on the deployment, tokenizing only when both bounds exceed the limit.</summary>
    public bool PromptFits(Deployment deployment, long limit) =>
        limit >= 0 && (PromptCharBound <= limit || PromptTokenBound <= limit || PromptTokens(deployment) <= limit);

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
    /// Gets the most the request can cost on the deployment — every prompt token at the dearer of input and cache write,
    /// <see cref="OutputCap"/> tokens at the dearer of output and reasoning — or <see langword="null"/> when the deployment
    /// has no price. From <see cref="PromptTokenBound"/> unless <paramref name="countPrompt"/> asks for the exact count
    /// (<see cref="ExactPromptTokens"/>), which only a model with its own tokenizer has.
    /// </summary>
    public decimal? WorstCaseCost(Deployment deployment, bool countPrompt = false)
    {
        if (deployment.Price is not { } price)
        {
            return null;
        }

        long prompt = countPrompt ? ExactPromptTokens(deployment) ?? PromptTokenBound : PromptTokenBound;
        return price.RatesFor(prompt).WorstCase(prompt, OutputCap(deployment));
    }

    /// <summary>Drops the reference to the prompt once the request has completed; measures taken so far stay readable.</summary>
    public void Release() => _messages = null;
}
