namespace LlmRouter;

/// <summary>
/// The caller's virtual key may not use the requested model (reason code <c>model_not_allowed</c>), or may not send
/// the request to the region of any deployment that could serve it (reason code <c>region_not_allowed</c>). No
/// provider was called; <see cref="LlmRouterException.Route"/> lists every target skipped, with the reason.
/// </summary>
/// <remarks>The message names the model and the refused regions, never the key.</remarks>
public sealed class ModelNotAllowedException : LlmRouterException
{
    internal ModelNotAllowedException(string? model, string reasonCode, RouteInfo route)
        : base(reasonCode, Describe(model, reasonCode, route), route)
    {
        Model = model;
    }

    /// <summary>Gets the requested model, exactly as given.</summary>
    public string? Model { get; }

    /// <inheritdoc/>
    public override bool IsRejection => true;

    private static string Describe(string? model, string reasonCode, RouteInfo route)
    {
        string name = ModelNames.Printable(model);
        if (reasonCode != ReasonCodes.RegionNotAllowed)
        {
            return $"The caller's key may not use model '{name}'.";
        }

        var regions = new List<string>(2);
        foreach (RouteAttempt attempt in route.Attempts)
        {
            if (attempt.SkipReason == SkipReasons.RegionNotAllowed && attempt.Region is { } region && !regions.Contains(region))
            {
                regions.Add(region);
            }
        }

        return $"The caller's key may not send requests to the region(s) where '{name}' and its fallbacks are deployed ({string.Join(", ", regions)}).";
    }
}
