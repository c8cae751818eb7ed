namespace LlmRouter;

/// <summary>What pricing resolved for one deployment when the routing table was built: its price and token limits.</summary>
internal readonly record struct PricedModel(ModelPrice? Price, int? MaxInputTokens, int? MaxOutputTokens, int? ContextWindowTokens = null);
