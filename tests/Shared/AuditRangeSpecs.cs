namespace LlmRouter.Tests.Support;

/// <summary>The specs of <see cref="IAuditQuery.ReadAsync"/> every store meets, run by each store's tests (linked).</summary>
internal static class AuditRangeSpecs
{
    /// <summary>A range reads the records that started in it, of a key or tenant when asked, ordered by start then id.</summary>
    public static async Task ReadsTheRecordsOfARangeByStartThenIdAsync<TStore>(TStore store)
        where TStore : IAuditStore, IAuditQuery
    {
        List<AuditRecord> records = AuditSamples.Mixed(600);
        records.AddRange(AuditSamples.SameInstant(AuditSamples.Start.AddHours(30), 5));
        await AuditSamples.WriteAsync(store, records);
        DateTimeOffset from = AuditSamples.Start.AddHours(5);
        DateTimeOffset to = AuditSamples.Start.AddHours(50);

        foreach ((string? key, string? tenant) in new (string?, string?)[] { (null, null), ("client-chat", null), (null, "acme"), ("client-batch", "globex") })
        {
            List<AuditRecord> read = await store.ReadAsync(new AuditReadRequest { From = from, To = to, Key = key, Tenant = tenant }).ToListAsync();

            List<AuditRecord> expected = AuditSamples.InRange(records, from, to, key, tenant);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(r => r.Id), read.Select(r => r.Id));
            Assert.Equal(expected.Select(AuditSamples.Fields), read.Select(AuditSamples.Fields));
        }
    }

    /// <summary>The request and response text is read only when asked for; everything else is read either way.</summary>
    public static async Task ReadsContentOnlyWhenAskedAsync<TStore>(TStore store)
        where TStore : IAuditStore, IAuditQuery
    {
        AuditRecord full = AuditSamples.Full();
        await AuditSamples.WriteAsync(store, [full]);
        var range = new AuditReadRequest { From = full.StartedAt, To = full.StartedAt.AddSeconds(1) };

        AuditRecord without = await store.ReadAsync(range).SingleAsync();
        AuditRecord with = await store.ReadAsync(new AuditReadRequest { From = range.From, To = range.To, IncludeContent = true }).SingleAsync();

        Assert.Null(without.RequestContent);
        Assert.Null(without.ResponseContent);
        Assert.Equal(AuditContentMode.Redacted, without.ContentMode);
        Assert.Equal(full.Cost, without.Cost);
        Assert.Equal(AuditSamples.Canonical(full), AuditSamples.Canonical(with));
    }
}
