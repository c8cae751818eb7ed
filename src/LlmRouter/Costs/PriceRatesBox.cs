namespace LlmRouter;

/// <summary>
/// Unit prices held by reference: a price's rates are shared by every audit record and attempt charged at them, instead
/// of each carrying its own 80-byte copy (records wait in the audit queue, where every byte they hold is copied by the
/// garbage collector).
/// </summary>
internal sealed class PriceRatesBox
{
    public PriceRatesBox(PriceRates rates) => Rates = rates;

    public PriceRates Rates { get; }
}
