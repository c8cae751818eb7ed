namespace LlmRouter;

/// <summary>Checks a component's list of migrations and the version found in a database.</summary>
internal static class SchemaMigrations
{
    public static void Check(string component, IReadOnlyList<SchemaMigration> migrations)
    {
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The migrations of '{component}' must be numbered 1, 2, 3… without gaps; entry {i} is version {migrations[i].Version}.");
            }
        }
    }

    public static void RefuseNewer(string component, int current, IReadOnlyList<SchemaMigration> migrations)
    {
        if (current > migrations.Count)
        {
            throw new InvalidOperationException($"The database's '{component}' schema is at version {current}, newer than the {migrations.Count} this version of LlmRouter knows. Upgrade LlmRouter, or point it at another database.");
        }
    }
}
