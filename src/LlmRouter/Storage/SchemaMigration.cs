namespace LlmRouter;

/// <summary>One step of a store's schema: a version and the SQL that brings the schema from the previous version to it.</summary>
/// <param name="Version">The version this step produces; versions of one component start at 1 and have no gaps.</param>
/// <param name="Sql">The statements, run in the migration's transaction.</param>
internal sealed record SchemaMigration(int Version, string Sql);
