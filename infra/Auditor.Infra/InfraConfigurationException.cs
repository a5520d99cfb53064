namespace Auditor.Infra;

/// <summary>A context value is missing, inconsistent or malformed; the message names the context key.</summary>
public sealed class InfraConfigurationException : Exception
{
    /// <summary>Creates the error for one context key.</summary>
    public InfraConfigurationException(string contextKey, string problem)
        : base($"context '{contextKey}': {problem}")
    {
        ContextKey = contextKey;
    }

    /// <summary>The context key at fault.</summary>
    public string ContextKey { get; }
}
