using LlmRouter.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Tests.Audit;

public class AuditVerifierTests
{
    private readonly InMemoryAuditStore _store = new();

    /// <summary>Writes records through a real writer, so the chain is sealed as in production.</summary>
    private async Task<Guid> WriteChainAsync(int count)
    {
        var time = Routers.Clock();
        await using var writer = new AuditWriter(_store, new AuditOptions { FlushInterval = TimeSpan.Zero }, time, NullLogger.Instance, new AuditWriterStatistics());
        for (int i = 0; i < count; i++)
        {
            var route = new RouteInfo(time, streaming: false, "chat");
            bool admitted = await writer.AdmitAsync(route, CancellationToken.None);
            await writer.SubmitAsync(
                new AuditRecord { Id = Guid.CreateVersion7(), RequestedModel = "chat", Status = RouteStatus.Served, Cost = 0.0001m * (i + 1), StartedAt = time.GetUtcNow() },
                admitted,
                route);
        }

        return writer.ChainId;
    }

    private Task<AuditVerification> VerifyAsync() => new AuditVerifier(_store).VerifyAsync();

    [Fact]
    public async Task Intact_chains_verify_and_every_record_is_counted()
    {
        await WriteChainAsync(5);
        await WriteChainAsync(3);

        AuditVerification result = await VerifyAsync();

        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(8, result.RecordsVerified);
        Assert.Equal(2, result.Chains.Count);
    }

    [Fact]
    public async Task An_edited_cost_is_reported_as_altered_at_its_record()
    {
        await WriteChainAsync(5);
        _store.Edit(2, nameof(AuditRecord.Cost), 0.0003000000001m);

        AuditProblem problem = (await VerifyAsync()).FirstProblem!;

        Assert.Equal((AuditProblemKind.Altered, 3L), (problem.Kind, problem.Sequence));
        Assert.Equal(_store.Records[2].Id, problem.RecordId);
        Assert.Contains("fields do not match its hash", problem.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cost_written_differently_but_equal_in_value_is_not_an_alteration()
    {
        await WriteChainAsync(2);
        _store.Edit(1, nameof(AuditRecord.Cost), 0.000200000m);

        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_deleted_record_is_reported_as_removed()
    {
        await WriteChainAsync(5);
        _store.RemoveAt(1);

        AuditProblem problem = (await VerifyAsync()).FirstProblem!;

        Assert.Equal((AuditProblemKind.Removed, 2L, (Guid?)null), (problem.Kind, problem.Sequence, problem.RecordId));
        Assert.Equal("record #2 is missing; the next record present is #3", problem.Description);
    }

    [Fact]
    public async Task Records_deleted_from_the_end_of_a_chain_are_reported_as_removed()
    {
        await WriteChainAsync(5);
        _store.RemoveAt(4);
        _store.RemoveAt(3);

        AuditChainVerification chain = Assert.Single((await VerifyAsync()).Chains);

        Assert.Equal((AuditProblemKind.Removed, 4L), (chain.Problem!.Kind, chain.Problem.Sequence));
        Assert.Contains("removed from its end", chain.Problem.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapped_sequence_numbers_are_reported_as_reordered()
    {
        await WriteChainAsync(5);
        AuditRecord third = _store.Records[2];
        AuditRecord fourth = _store.Records[3];
        _store.Edit(2, nameof(AuditRecord.Sequence), 4L);
        _store.Edit(3, nameof(AuditRecord.Sequence), 3L);

        AuditProblem problem = (await VerifyAsync()).FirstProblem!;

        Assert.Equal((AuditProblemKind.Reordered, 3L, fourth.Id), (problem.Kind, problem.Sequence, problem.RecordId));
        Assert.Contains("re-ordered", problem.Description, StringComparison.Ordinal);
        Assert.NotEqual(third.Id, problem.RecordId);
    }

    [Fact]
    public async Task A_consistently_hashed_record_that_does_not_link_is_reported_as_inserted()
    {
        Guid chain = await WriteChainAsync(3);
        AuditRecord forged = new() { Id = Guid.CreateVersion7(), Status = RouteStatus.Served, Cost = 1m };
        string hash = new AuditHasher().Compute(forged, chain, 2, AuditText.ZeroHash);
        _store.RemoveAt(1);
        _store.Add(AuditRecordWith(forged, chain, 2, AuditText.ZeroHash, hash));

        AuditProblem problem = (await VerifyAsync()).FirstProblem!;

        Assert.Equal((AuditProblemKind.Inserted, 2L, forged.Id), (problem.Kind, problem.Sequence, problem.RecordId));
    }

    [Fact]
    public async Task Records_after_the_chain_head_and_records_of_an_unregistered_chain_are_reported_as_inserted()
    {
        Guid chain = await WriteChainAsync(2);
        AuditChainHead head = _store.Head(chain);
        _store.SetHead(new AuditChainHead { ChainId = chain, Instance = head.Instance, StartedAt = head.StartedAt, LastSequence = 1, LastHash = _store.Records[0].Hash });
        _store.Add(AuditRecordWith(new AuditRecord { Id = Guid.CreateVersion7() }, Guid.CreateVersion7(), 1, AuditText.ZeroHash, AuditText.ZeroHash));

        AuditVerification result = await VerifyAsync();

        Assert.Equal(2, result.Chains.Count(c => !c.IsIntact));
        Assert.Contains(result.Chains, c => c.Problem is { Kind: AuditProblemKind.Inserted, Sequence: 2 } && c.Chain.ChainId == chain);
        Assert.Contains(result.Chains, c => c.Problem is { Kind: AuditProblemKind.Inserted } && !c.Chain.IsRegistered);
    }

    [Fact]
    public async Task A_changed_link_is_reported_as_altered()
    {
        await WriteChainAsync(3);
        _store.Edit(1, nameof(AuditRecord.PreviousHash), new string('f', 64));

        AuditProblem problem = (await VerifyAsync()).FirstProblem!;

        Assert.Equal((AuditProblemKind.Altered, 2L), (problem.Kind, problem.Sequence));
        Assert.Contains("previous-record hash was changed", problem.Description, StringComparison.Ordinal);
    }

    private static AuditRecord AuditRecordWith(AuditRecord record, Guid chain, long sequence, string previous, string hash)
    {
        record.Seal(chain, sequence, previous, hash);
        return record;
    }
}
