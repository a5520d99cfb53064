namespace Auditor.Core.Trail;

/// <summary>Input that breaks a bound or the format; the message names the problem a user must fix.</summary>
public sealed class TrailFormatException(string message, Exception? inner = null) : Exception(message, inner);
