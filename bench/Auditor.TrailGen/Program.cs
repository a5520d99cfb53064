using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Auditor.TrailGen;

GeneratorOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h")) { Console.WriteLine(GeneratorOptions.Usage); return 0; }
    options = GeneratorOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(GeneratorOptions.Usage);
    return 2;
}

if (Directory.Exists(Path.Combine(options.OutDir, "AWSLogs")))
{
    Console.Error.WriteLine($"error: {options.OutDir}/AWSLogs already exists; remove it first so the trail is exactly what the options say");
    return 2;
}
Directory.CreateDirectory(options.OutDir);
var sw = Stopwatch.StartNew();
Console.Error.WriteLine($"trailgen: {options.Events:N0} events, seed {options.Seed}, into {options.OutDir}");
var totals = new TrailGenerator(options).Generate(Console.Error);
sw.Stop();

using (var f = File.Create(Path.Combine(options.OutDir, "manifest.json")))
using (var w = new Utf8JsonWriter(f, new JsonWriterOptions { Indented = true }))
{
    w.WriteStartObject();
    w.WriteNumber("seed", options.Seed);
    w.WriteNumber("files", totals.Files);
    w.WriteNumber("records", totals.Records);
    w.WriteNumber("kmsRecords", totals.KmsRecords);
    w.WriteNumber("uncompressedBytes", totals.UncompressedBytes);
    w.WriteNumber("compressedBytes", totals.CompressedBytes);
    w.WriteString("arguments", string.Join(' ', args));
    w.WriteEndObject();
}
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"trailgen: {totals.Files:N0} files, {totals.Records:N0} records ({totals.KmsRecords:N0} KMS), {totals.UncompressedBytes / 1e6:N1} MB uncompressed, {totals.CompressedBytes / 1e6:N1} MB gzip, {sw.Elapsed.TotalSeconds:N1} s"));
return 0;
