namespace LlmRouter;

/// <summary>The dimensions an <see cref="IAuditQuery"/> summary groups by; combine them with <c>|</c>.</summary>
[Flags]
public enum AuditGrouping
{
    /// <summary>One row for the whole time range.</summary>
    None = 0,

    /// <summary>By virtual key.</summary>
    Key = 1,

    /// <summary>By tenant.</summary>
    Tenant = 2,

    /// <summary>By the model (alias) the caller asked for.</summary>
    RequestedModel = 4,

    /// <summary>By the alias that served the request.</summary>
    ServedModel = 8,

    /// <summary>By the provider that served the request.</summary>
    Provider = 16,

    /// <summary>By how the request ended.</summary>
    Status = 32,

    /// <summary>By calendar day in <see cref="AuditSummaryRequest.TimeZone"/>.</summary>
    Day = 64,
}
