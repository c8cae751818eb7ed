namespace LlmRouter.Tests.Support;

/// <summary>A tool call an <see cref="OpenAIWireServer"/> answers with.</summary>
/// <param name="Id">The call's id.</param>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The arguments as the JSON text of <c>function.arguments</c>.</param>
public sealed record WireToolCall(string Id, string Name, string Arguments);
