namespace LlmRouter;

/// <summary>The request counts of a statement, by how the requests ended.</summary>
internal struct StatementTotals
{
    public long Requests;
    public long Served;
    public long Rejected;
    public long Failed;
    public long Cancelled;
    public long BilledUnserved;
    public long Unpriced;
    public long Estimated;
}
