using System.Reflection;

namespace LlmRouter.Tests.Support;

/// <summary>
/// An audit store in memory, for the writer's and the audit layer's specifications: it keeps batches as the built-in
/// stores do (atomically, skipping a batch already stored), and a test can make it fail, or hold a write until released.
/// </summary>
internal sealed class InMemoryAuditStore : IAuditStore, IAuditReader
{
    private readonly Lock _lock = new();
    private readonly List<AuditRecord> _records = [];
    private readonly Dictionary<Guid, AuditChainHead> _heads = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private TaskCompletionSource? _gate;
    private int _failuresLeft;

    /// <summary>Gets the number of calls to <see cref="WriteAsync"/>, failed ones included.</summary>
    public int Attempts { get; private set; }

    /// <summary>Gets every batch handed to the store, in order, failed and repeated ones included.</summary>
    public List<AuditBatch> Handed { get; } = [];

    /// <summary>Gets or sets the exception the next failing writes throw.</summary>
    public Exception Failure { get; set; } = new IOException("disk I/O error");

    /// <summary>Gets or sets whether a failing write stores the batch first, as a commit whose acknowledgement was lost.</summary>
    public bool FailAfterCommit { get; set; }

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Makes the next <paramref name="count"/> writes fail (int.MaxValue: every write).</summary>
    public void FailNext(int count)
    {
        lock (_lock)
        {
            _failuresLeft = count;
        }
    }

    /// <summary>Makes writes wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        TaskCompletionSource? gate;
        lock (_lock)
        {
            gate = _gate;
            _gate = null;
        }

        gate?.TrySetResult();
    }

    /// <summary>Completes when the store holds at least <paramref name="count"/> records.</summary>
    public Task WaitForRecordsAsync(int count)
    {
        lock (_lock)
        {
            if (_records.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async Task WriteAsync(AuditBatch batch, CancellationToken cancellationToken = default)
    {
        Task? gate;
        bool fail;
        lock (_lock)
        {
            Attempts++;
            Handed.Add(batch);
            gate = _gate?.Task;
            fail = _failuresLeft > 0;
            if (fail && _failuresLeft != int.MaxValue)
            {
                _failuresLeft--;
            }
        }

        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (fail && !FailAfterCommit)
        {
            throw Failure;
        }

        lock (_lock)
        {
            if (!(_heads.TryGetValue(batch.Chain.ChainId, out AuditChainHead? head) && head.LastSequence >= batch.FirstSequence))
            {
                _records.AddRange(batch.Records);
                _heads[batch.Chain.ChainId] = batch.Chain;
                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_records.Count >= _waiters[i].Count)
                    {
                        _waiters[i].Reached.TrySetResult();
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        if (fail)
        {
            throw Failure;
        }
    }

    public async IAsyncEnumerable<AuditChainHead> ReadChainsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        List<AuditChainHead> heads;
        lock (_lock)
        {
            heads = [.. _heads.Values];
            foreach (Guid orphan in _records.Select(r => r.ChainId).Distinct().Where(id => !_heads.ContainsKey(id)))
            {
                heads.Add(new AuditChainHead { ChainId = orphan });
            }
        }

        foreach (AuditChainHead head in heads.OrderBy(h => h.ChainId))
        {
            yield return head;
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(Guid chainId, long fromSequence = 1, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (AuditRecord record in Records.Where(r => r.ChainId == chainId && r.Sequence >= fromSequence).OrderBy(r => r.Sequence))
        {
            yield return record;
        }
    }

    // Tampering, as someone with write access to the database could.

    /// <summary>Replaces a stored record by a copy with one property changed.</summary>
    public void Edit(int index, string property, object? value)
    {
        lock (_lock)
        {
            _records[index] = Copy(_records[index], property, value);
        }
    }

    public void RemoveAt(int index)
    {
        lock (_lock)
        {
            _records.RemoveAt(index);
        }
    }

    public void Add(AuditRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
        }
    }

    public void SetHead(AuditChainHead head)
    {
        lock (_lock)
        {
            _heads[head.ChainId] = head;
        }
    }

    public AuditChainHead Head(Guid chainId)
    {
        lock (_lock)
        {
            return _heads[chainId];
        }
    }

    /// <summary>A shallow copy of a record with one property set (init accessors are settable by reflection, as a database edit would).</summary>
    public static AuditRecord Copy(AuditRecord record, string property, object? value)
    {
        var copy = (AuditRecord)typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(record, null)!;
        typeof(AuditRecord).GetProperty(property)!.SetValue(copy, value);
        return copy;
    }
}
