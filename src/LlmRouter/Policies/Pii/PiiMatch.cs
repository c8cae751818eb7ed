namespace LlmRouter;

/// <summary>Where a detector found personal data in a text: its kind, start and length.</summary>
internal readonly record struct PiiMatch(PiiKind Kind, int Start, int Length)
{
    public int End => Start + Length;

    public bool Overlaps(PiiMatch other) => Start < other.End && other.Start < End;
}
