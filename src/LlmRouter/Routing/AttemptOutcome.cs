namespace LlmRouter;

/// <summary>What happened to one deployment (or alias) considered for a request.</summary>
public enum AttemptOutcome
{
    /// <summary>The call is under way.</summary>
    Pending,

    /// <summary>The provider answered; for a stream, the stream ended normally.</summary>
    Succeeded,

    /// <summary>The provider call failed; <see cref="RouteAttempt.ErrorClass"/> says how.</summary>
    Failed,

    /// <summary>The deployment was not called; <see cref="RouteAttempt.SkipReason"/> says why.</summary>
    Skipped,

    /// <summary>The caller cancelled, or stopped reading the stream, during this attempt.</summary>
    Cancelled,
}
