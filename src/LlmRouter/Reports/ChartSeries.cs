namespace LlmRouter;

/// <summary>One series of a report chart: its name (user text, escaped when drawn), its colour, and a value per bucket or row.</summary>
internal sealed record ChartSeries(string Name, string Color, decimal[] Values);
