namespace LlmRouter.Tests.Budgets;

public sealed class InMemoryBudgetStoreTests : BudgetStoreContract
{
    protected override Task<IBudgetStore> CreateStoreAsync() => Task.FromResult<IBudgetStore>(new InMemoryBudgetStore());
}
