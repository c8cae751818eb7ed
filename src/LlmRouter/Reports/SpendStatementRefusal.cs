namespace LlmRouter;

/// <summary>Requests a <see cref="SpendStatement"/> lists at zero cost because LlmRouter refused them before any provider was called: by requested model and reason.</summary>
/// <remarks>Immutable.</remarks>
public sealed class SpendStatementRefusal
{
    internal SpendStatementRefusal(string? requestedModel, string? reasonCode, long requests)
    {
        RequestedModel = requestedModel;
        ReasonCode = reasonCode;
        Requests = requests;
    }

    /// <summary>Gets the model the requests asked for, or <see langword="null"/> when they named none.</summary>
    public string? RequestedModel { get; }

    /// <summary>Gets why they were refused (one of <see cref="ReasonCodes"/>).</summary>
    public string? ReasonCode { get; }

    /// <summary>Gets the number of refused requests.</summary>
    public long Requests { get; }

    /// <summary>Gets what they cost: nothing.</summary>
    public decimal Amount { get; }
}
