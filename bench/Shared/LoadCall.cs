namespace LlmRouter.Bench;

/// <summary>
/// One call of a load run, made by one caller. Returns the <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>
/// reading taken when the first token of a streamed answer arrived, or zero for a call that is not streamed.
/// </summary>
/// <returns>The first token's timestamp, or zero.</returns>
internal delegate ValueTask<long> LoadCall();
