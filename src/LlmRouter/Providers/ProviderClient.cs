using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>A provider's client as deployments call it, and the client as the provider's SDK made it (whose metadata tells how it reports usage).</summary>
/// <param name="Client">The client with the middleware of <see cref="LlmRouterBuilder.ConfigureProviderClients"/>, if any.</param>
/// <param name="Unconfigured">The client without that middleware.</param>
internal readonly record struct ProviderClient(IChatClient Client, IChatClient Unconfigured);
