namespace LlmRouter.Cli;

/// <summary><c>llmrouter verify</c>: verifies every hash chain of the audit log.</summary>
internal static class VerifyCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    public static async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        (string? Sqlite, string? Postgres) storeChoice = AuditStoreConnection.Choose(arguments);
        arguments.RejectUnknown();
        await using AuditStoreConnection store = await AuditStoreConnection.OpenAsync(storeChoice, cancellationToken);
        AuditVerification verification = await new AuditVerifier(store.Reader).VerifyAsync(cancellationToken);
        await output.WriteLineAsync($"Audit log in the {store.Description}:");
        foreach (AuditChainVerification chain in verification.Chains)
        {
            string state = chain.IsIntact ? "intact" : "NOT intact: " + chain.Problem;
            await output.WriteLineAsync($"  chain {chain.Chain.ChainId} ({chain.Chain.Instance ?? "unregistered"}): {chain.RecordsVerified} record(s) verified, {state}");
        }

        await output.WriteLineAsync(verification.IsIntact
            ? $"Verified: {verification.RecordsVerified} record(s) in {verification.Chains.Count} chain(s), none altered, removed, inserted or re-ordered."
            : $"NOT intact: {verification.FirstProblem}");
        return verification.IsIntact ? CliExitCodes.Success : CliExitCodes.NotIntact;
    }
}
