using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

// What a team would write with DuckDB today: read every log object, unnest Records, keep the KMS events,
// count them and the records. Usage: Auditor.Bench.DuckDb <trail-dir> [threads]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Auditor.Bench.DuckDb <directory holding AWSLogs/...> [threads]");
    return 2;
}
string root = Path.GetFullPath(args[0]).Replace("'", "''", StringComparison.Ordinal);
int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
var sw = Stopwatch.StartNew();
using var connection = new DuckDBConnection("DataSource=:memory:");
connection.Open();
using (var set = connection.CreateCommand())
{
    // Offline: the json extension must be the one built into the native library, never downloaded.
    set.CommandText = $"SET autoinstall_known_extensions=false; SET autoload_known_extensions=true; SET threads={threads}; SET preserve_insertion_order=false;";
    set.ExecuteNonQuery();
}
using var cmd = connection.CreateCommand();
// Records is read as JSON (not a typed struct) so DuckDB does not need to infer a schema over the whole trail;
// maximum_object_size covers CloudTrail objects of tens of MB.
cmd.CommandText = $$"""
    WITH recs AS (
      SELECT unnest(Records) AS r
      FROM read_json('{{root}}/**/*.json.gz', format = 'auto', records = true, compression = 'gzip',
                     columns = {Records: 'JSON[]'}, maximum_object_size = 1073741824)
    )
    SELECT count(*) AS records,
           count(*) FILTER (WHERE r->>'eventSource' = 'kms.amazonaws.com') AS kms
    FROM recs
    """;
using var reader = cmd.ExecuteReader();
reader.Read();
long records = reader.GetInt64(0), kms = reader.GetInt64(1);
sw.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duckdb records={records} kms={kms} seconds={sw.Elapsed.TotalSeconds:F2}"));
return 0;
