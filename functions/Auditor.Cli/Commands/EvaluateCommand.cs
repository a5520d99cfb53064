using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Auditor.Core.Authorization;
using Auditor.Core.Conformance;

namespace Auditor.Cli.Commands;

/// <summary>
/// <c>auditor evaluate &lt;file|dir&gt;...</c> (CONTRACT section 1): evaluates policy conformance cases and
/// prints one JSON object per case, in input order (files in the order given, a directory's <c>*.json</c>
/// in ordinal order). A malformed file is named on stderr and the exit code is 2; the cases of the other
/// files are still evaluated and printed. <c>--check</c> also compares each result with the case's
/// <c>expected</c> and exits 1 when any differs.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("path") { Description = "Conformance case files or directories.", Arity = ArgumentArity.ZeroOrMore };
        var check = new Option<bool>("--check") { Description = "Compare each result with the case's expected outcome; exit 1 on any difference." };
        var command = new Command("evaluate", "Evaluate key-policy conformance cases and print one JSON result per case.") { paths, check };
        command.SetAction(parse => Run(parse.GetValue(paths) ?? [], parse.GetValue(check), console));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, bool check, CliConsole console)
    {
        if (paths.Count == 0)
        {
            // Checked here rather than by the parser so a missing path is a usage error (exit 2, CONTRACT section 1).
            console.Error.WriteLine("auditor evaluate: give at least one conformance case file or directory");
            return CliConsole.Usage;
        }
        bool malformed = false;
        int mismatches = 0;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (string path in paths)
        {
            IEnumerable<string> files;
            try { files = ConformanceCaseLoader.Expand(path); }
            catch (ConformanceFormatException e) { console.Error.WriteLine($"auditor evaluate: {e.Message}"); malformed = true; continue; }
            foreach (string file in files)
            {
                IReadOnlyList<ConformanceCase> cases;
                try { cases = ConformanceCaseLoader.LoadFile(file); }
                catch (ConformanceFormatException e) { console.Error.WriteLine($"auditor evaluate: {e.Message}"); malformed = true; continue; }
                foreach (var c in cases)
                {
                    var result = c.Evaluate();
                    buffer.ResetWrittenCount();
                    using (var w = new Utf8JsonWriter(buffer, options))
                    {
                        w.WriteStartObject();
                        w.WriteString("name", c.Name);
                        w.WriteString("decision", AuthorizationNames.Of(result.Decision));
                        w.WriteString("path", AuthorizationNames.Of(result.Path));
                        if (result.StatementSid is null) w.WriteNull("statementSid"); else w.WriteString("statementSid", result.StatementSid);
                        if (result.GrantId is null) w.WriteNull("grantId"); else w.WriteString("grantId", result.GrantId);
                        w.WriteEndObject();
                    }
                    console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
                    if (check && c.Expected?.Mismatch(result) is { } why)
                    {
                        mismatches++;
                        console.Error.WriteLine($"auditor evaluate: {file}: case \"{c.Name}\": {why}");
                    }
                }
            }
        }
        console.Out.Flush();
        if (malformed) return CliConsole.Usage;
        return mismatches > 0 ? CliConsole.Threshold : CliConsole.Ok;
    }
}
