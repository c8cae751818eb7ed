using System.Text;
using LlmRouter.Tests.Support;

namespace LlmRouter.Tests.Audit;

public class AuditHasherTests
{
    private static readonly Guid Chain = Guid.Parse("019a7b2c-0000-7000-8000-00000000c4a1");

    /// <summary>
    /// The hash of a record with every field set, as computed independently by <c>scripts/verify-audit-sqlite.py</c> (the
    /// serialization docs/audit.md defines) from the SQLite store's columns: any change to the format breaks this.
    /// </summary>
    [Fact]
    public void The_hash_is_the_documented_serialization_and_matches_an_independent_implementation()
    {
        string hash = new AuditHasher().Compute(AuditSamples.Full(), Chain, 1, AuditText.ZeroHash);

        Assert.Equal("fcfb6c0b0d6c7238678aee6c6397d8118b86aace3475a055369cef20a0314427", hash);
    }

    [Fact]
    public void The_serialization_is_one_length_prefixed_line_per_field_in_a_fixed_order()
    {
        string canonical = Encoding.UTF8.GetString(new AuditHasher().Canonical(AuditSamples.Full(), Chain, 1, AuditText.ZeroHash));
        string[] lines = canonical.Split('\n');

        Assert.Equal("llmrouter-audit-record-v1", lines[0]);
        Assert.Equal("chain_id=36:019a7b2c-0000-7000-8000-00000000c4a1", lines[1]);
        Assert.Equal("seq=1:1", lines[2]);
        Assert.Equal("prev_hash=64:" + AuditText.ZeroHash, lines[3]);
        Assert.Equal("started_at=27:2026-11-25T09:00:00.123456Z", lines[5]);
        Assert.Equal("ttft_us=6:350001", lines[8]);
        Assert.Equal("user=17:zoë@acme.example", lines[12]);
        Assert.Contains("tags=1:3\ntag=7:invoice\ntag=12:q3 \"closing\"\ntag=11:naïve\nline\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\nerror_class=-\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\ncost=9:0.0085225\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\nprice_cache_write=5:3.125\nprice_output=2:10\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\npii=1:2\npii.kind=5:email\npii.count=1:2\npii.kind=5:phone\npii.count=1:1\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\nattempts=1:3\nattempt.model=9:assistant\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\nattempt.retry_after_us=7:1500000\n", canonical, StringComparison.Ordinal);
        Assert.EndsWith("attempt.catalog_version=-\n", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_field_and_the_place_in_the_chain_change_the_hash()
    {
        var hasher = new AuditHasher();
        AuditRecord record = AuditSamples.Full();
        string original = hasher.Compute(record, Chain, 1, AuditText.ZeroHash);

        Assert.NotEqual(original, hasher.Compute(record, Chain, 2, AuditText.ZeroHash));
        Assert.NotEqual(original, hasher.Compute(record, Guid.CreateVersion7(), 1, AuditText.ZeroHash));
        Assert.NotEqual(original, hasher.Compute(record, Chain, 1, new string('1', 64)));
        foreach ((string property, object? value) in new (string, object?)[]
        {
            (nameof(AuditRecord.Cost), 0.0085226m), (nameof(AuditRecord.Key), "client-other"), (nameof(AuditRecord.Region), "us"),
            (nameof(AuditRecord.Status), RouteStatus.Failed), (nameof(AuditRecord.Tags), new[] { "invoice" }), (nameof(AuditRecord.Attempts), Array.Empty<AuditAttempt>()),
            (nameof(AuditRecord.StartedAt), record.StartedAt.AddTicks(10)), (nameof(AuditRecord.RequestContent), null), (nameof(AuditRecord.TokensEstimated), false),
        })
        {
            Assert.NotEqual(original, hasher.Compute(InMemoryAuditStore.Copy(record, property, value), Chain, 1, AuditText.ZeroHash));
        }
    }
}
