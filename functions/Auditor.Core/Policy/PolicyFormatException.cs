namespace Auditor.Core.Policy;

/// <summary>A policy document that is not valid JSON or not a policy; the message says what is wrong and where.</summary>
public sealed class PolicyFormatException(string message, Exception? inner = null) : Exception(message, inner);
