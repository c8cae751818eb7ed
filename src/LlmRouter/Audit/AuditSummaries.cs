namespace LlmRouter;

/// <summary>Puts summary rows in the order <see cref="IAuditQuery"/> promises, whatever order and collation the database used.</summary>
internal static class AuditSummaries
{
    public static List<AuditSummaryRow> Sort(List<AuditSummaryRow> rows)
    {
        rows.Sort(Compare);
        return rows;
    }

    private static int Compare(AuditSummaryRow a, AuditSummaryRow b)
    {
        int c = string.CompareOrdinal(a.Key, b.Key);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Tenant, b.Tenant);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.RequestedModel, b.RequestedModel);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.ServedModel, b.ServedModel);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Provider, b.Provider);
        }

        if (c == 0)
        {
            c = Nullable.Compare(a.Status, b.Status);
        }

        if (c == 0)
        {
            c = Nullable.Compare(a.Day, b.Day);
        }

        return c;
    }
}
