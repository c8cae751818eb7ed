using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Adds LlmRouter's audit layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class AuditChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the audit layer: one record per request, with every attempt, written by the audit writer to the registered
    /// store. <c>UseLlmRouter()</c> adds it as its outermost layer by itself; add it yourself for audit-only mode — on any
    /// client that LlmRouter does not route, where it records each call with the model the caller asked for.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Needs an audit store (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>, or an <see cref="IAuditStore"/>) and the
    /// services of <c>AddLlmRouter</c> or <c>AddLlmRouterAudit</c>; building the client fails otherwise. With
    /// <c>Audit:Enabled</c> set to <see langword="false"/>, the layer is left out.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddLlmRouterAudit(configuration.GetSection("LlmRouter")).AddSqliteStores("Data Source=audit.db");
    /// services.AddChatClient(sp => new OpenAIClient(key).GetChatClient("gpt-4o-mini").AsIChatClient()).UseLlmRouterAudit();
    /// </code>
    /// </example>
    public static ChatClientBuilder UseLlmRouterAudit(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => AuditChatClient.Create(inner, services, required: true));
    }

    /// <summary>The audit layer of <c>UseLlmRouter()</c>: present when a store is registered, left out otherwise.</summary>
    internal static ChatClientBuilder UseLlmRouterAuditWhenStored(this ChatClientBuilder builder) =>
        builder.Use((inner, services) => AuditChatClient.Create(inner, services, required: false));
}
