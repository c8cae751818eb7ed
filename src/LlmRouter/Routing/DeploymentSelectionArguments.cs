namespace LlmRouter;

/// <summary>The arguments of one deployment selection.</summary>
/// <remarks>A struct so that fields can be added without breaking selectors.</remarks>
public readonly struct DeploymentSelectionArguments
{
    internal DeploymentSelectionArguments(string model, RouteInfo route)
    {
        Model = model;
        Route = route;
    }

    /// <summary>Gets the alias being served.</summary>
    public string Model { get; }

    /// <summary>Gets the request's route so far (attempts already made, requested model).</summary>
    public RouteInfo Route { get; }

    /// <summary>Gets whether the request is streamed.</summary>
    public bool Streaming => Route.Streaming;
}
