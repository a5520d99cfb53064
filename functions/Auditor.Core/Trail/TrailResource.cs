namespace Auditor.Core.Trail;

/// <summary>One entry of a record's <c>resources</c> array.</summary>
public sealed record TrailResource(string? Arn, string? AccountId, string? Type);
