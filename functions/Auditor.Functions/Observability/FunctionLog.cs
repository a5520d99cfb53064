using System.Text.Json;

namespace Auditor.Functions.Observability;

/// <summary>
/// Structured JSON log lines on stdout (which Lambda forwards to CloudWatch Logs), one object per line, each
/// carrying the current request id. Callers pass only identifiers, counts and error reasons: encryption-context
/// values and policy documents never reach a log line (issue 10), so there is no API here that takes a record.
/// </summary>
public sealed class FunctionLog(Stream output, TimeProvider? clock = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The invocation being handled; stamped on every line until the next one starts.</summary>
    public string? RequestId { get; set; }

    /// <summary>A routine event.</summary>
    public void Info(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Write("INFO", message, null, fields);

    /// <summary>Something the owner should look at; the work went on.</summary>
    public void Warn(string message, params ReadOnlySpan<(string Name, object? Value)> fields) => Write("WARN", message, null, fields);

    /// <summary>A failure, with the exception's type and message (its stack goes only to the error line's <c>stackTrace</c>).</summary>
    public void Error(string message, Exception? exception, params ReadOnlySpan<(string Name, object? Value)> fields) => Write("ERROR", message, exception, fields);

    /// <summary>Writes a line that is already a complete JSON object (an EMF document).</summary>
    public void WriteRaw(ReadOnlySpan<byte> jsonLine)
    {
        lock (_gate)
        {
            output.Write(jsonLine);
            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }

    private void Write(string level, string message, Exception? exception, ReadOnlySpan<(string Name, object? Value)> fields)
    {
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("timestamp", _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("level", level);
            w.WriteString("requestId", RequestId);
            w.WriteString("message", message);
            foreach (var (name, value) in fields) WriteField(w, name, value);
            if (exception is not null)
            {
                w.WriteString("errorType", exception.GetType().FullName);
                w.WriteString("errorMessage", exception.Message);
                w.WriteString("stackTrace", exception.StackTrace);
            }
            w.WriteEndObject();
        }
        WriteRaw(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteField(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case bool b: w.WriteBoolean(name, b); break;
            case int i: w.WriteNumber(name, i); break;
            case long l: w.WriteNumber(name, l); break;
            case double d: w.WriteNumber(name, d); break;
            case ulong u: w.WriteNumber(name, u); break;
            case IEnumerable<string> list:
                w.WriteStartArray(name);
                foreach (var item in list) w.WriteStringValue(item);
                w.WriteEndArray();
                break;
            default: w.WriteString(name, value.ToString()); break;
        }
    }
}
