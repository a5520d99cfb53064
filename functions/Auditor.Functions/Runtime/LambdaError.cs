using System.Text;
using System.Text.Json;

namespace Auditor.Functions.Runtime;

/// <summary>
/// The error document the Runtime API accepts on <c>invocation/{id}/error</c> and <c>init/error</c>:
/// <c>{"errorMessage": "...", "errorType": "...", "stackTrace": [...]}</c>. The type also travels in the
/// <c>Lambda-Runtime-Function-Error-Type</c> header.
/// </summary>
public sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>Describes an exception. The stack goes to Lambda (visible to the function's owner), never to a user's terminal.</summary>
    public static LambdaError From(Exception e)
    {
        var frames = (e.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var type = e is FunctionException fe ? fe.ErrorType : e.GetType().FullName ?? "Exception";
        return new LambdaError(type, e.Message, frames);
    }

    /// <summary>The JSON body.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("errorMessage", ErrorMessage);
            w.WriteString("errorType", ErrorType);
            w.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace) w.WriteStringValue(frame);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A header value must be a single line of visible ASCII.</summary>
    internal string HeaderSafeType()
    {
        var sb = new StringBuilder(ErrorType.Length);
        foreach (char c in ErrorType) sb.Append(c is >= ' ' and <= '~' ? c : '_');
        return sb.Length == 0 ? "Unhandled" : sb.ToString();
    }
}

/// <summary>
/// A failure the function reports with a chosen <c>errorType</c> (for example <c>Runtime.UnknownHandler</c>)
/// instead of the exception's class name.
/// </summary>
public class FunctionException(string errorType, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What Lambda records as the error type.</summary>
    public string ErrorType { get; } = errorType;
}
