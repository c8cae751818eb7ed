namespace LlmRouter.Postgres.Tests.Support;

/// <summary>The test classes that share one throwaway PostgreSQL server for the run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
