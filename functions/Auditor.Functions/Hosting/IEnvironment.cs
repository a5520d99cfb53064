namespace Auditor.Functions.Hosting;

/// <summary>
/// Where configuration comes from. Lambda configures a function only through environment variables
/// (CONTRACT section 7); the abstraction lets tests hand in a dictionary instead of mutating the process.
/// </summary>
public interface IEnvironment
{
    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    string? Get(string name);
}

/// <summary>The real process environment.</summary>
public sealed class ProcessEnvironment : IEnvironment
{
    /// <inheritdoc />
    public string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

/// <summary>A fixed set of variables, for tests and for composing settings.</summary>
public sealed class DictionaryEnvironment(IReadOnlyDictionary<string, string> values) : IEnvironment
{
    /// <inheritdoc />
    public string? Get(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
