using Amazon.CDK;
using Amazon.CDK.AWS.Athena;
using Amazon.CDK.AWS.Glue;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// SQL over the findings: a Glue table over <c>findings/dt=YYYY-MM-DD/</c> (JSON lines, CONTRACT section 3) with
/// partition projection, so Athena needs no crawler and no MSCK REPAIR; an Athena workgroup writing encrypted results;
/// saved queries for the questions users ask first.
/// </summary>
public sealed class FindingsCatalog : Construct
{
    /// <summary>The table's name in the database.</summary>
    public const string TableName = "findings";

    /// <summary>First day partition projection enumerates; queries should always bound <c>dt</c> anyway.</summary>
    public const string ProjectionStart = "2020-01-01";

    /// <summary>The columns, CONTRACT section 3 (lower case: the OpenX SerDe matches JSON keys case-insensitively).</summary>
    public static readonly (string Name, string Type, string Comment)[] Columns =
    [
        ("id", "string", "deterministic finding id"),
        ("rule", "string", "rule id (CONTRACT section 6)"),
        ("severity", "string", "info, low, medium, high or critical"),
        ("eventid", "string", "CloudTrail eventID of the triggering event"),
        ("eventtime", "string", "ISO 8601 UTC; from_iso8601_timestamp(eventtime) for arithmetic"),
        ("eventname", "string", "KMS operation"),
        ("awsregion", "string", "region of the event"),
        ("keyarn", "string", "key ARN, or the key id as seen"),
        ("principal", "string", "caller: IAM user/role ARN, account root or service principal"),
        ("sessionarn", "string", "assumed-role session ARN, when the caller was a session"),
        ("authorization", "struct<decision:string,path:string,statementsid:string,grantid:string>", "what authorized the call"),
        ("title", "string", "short title"),
        ("explanation", "string", "what happened and what to do"),
        ("evidence", "array<string>", "eventIDs of supporting events"),
    ];

    /// <summary>Creates the database, table, workgroup and saved queries.</summary>
    public FindingsCatalog(Construct scope, string id, InfraSettings settings, FindingsStore findings)
        : base(scope, id)
    {
        var account = Aws.ACCOUNT_ID;
        DatabaseName = settings.StackName.ToLowerInvariant().Replace('-', '_');
        var location = $"s3://{findings.Bucket.BucketName}/{FindingsStore.FindingsPrefix}";

        var database = new CfnDatabase(this, "Database", new CfnDatabaseProps
        {
            CatalogId = account,
            DatabaseInput = new CfnDatabase.DatabaseInputProperty
            {
                Name = DatabaseName,
                Description = "KMS Trail Auditor findings",
            },
        });

        Table = new CfnTable(this, "FindingsTable", new CfnTableProps
        {
            CatalogId = account,
            DatabaseName = DatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = TableName,
                Description = "KMS Trail Auditor findings (JSON lines, one object per finding), partitioned by day",
                TableType = "EXTERNAL_TABLE",
                Parameters = new Dictionary<string, string>
                {
                    ["classification"] = "json",
                    ["EXTERNAL"] = "TRUE",
                    ["projection.enabled"] = "true",
                    ["projection.dt.type"] = "date",
                    ["projection.dt.format"] = "yyyy-MM-dd",
                    ["projection.dt.range"] = $"{ProjectionStart},NOW",
                    ["projection.dt.interval"] = "1",
                    ["projection.dt.interval.unit"] = "DAYS",
                    ["storage.location.template"] = location + "dt=${dt}/",
                },
                PartitionKeys = new object[]
                {
                    new CfnTable.ColumnProperty { Name = "dt", Type = "string", Comment = "UTC day of the event, yyyy-MM-dd" },
                },
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = location,
                    InputFormat = "org.apache.hadoop.mapred.TextInputFormat",
                    OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty
                    {
                        SerializationLibrary = "org.openx.data.jsonserde.JsonSerDe",
                        Parameters = new Dictionary<string, string> { ["case.insensitive"] = "TRUE" },
                    },
                    Columns = Columns
                        .Select(c => (object)new CfnTable.ColumnProperty { Name = c.Name, Type = c.Type, Comment = c.Comment })
                        .ToArray(),
                },
            },
        });
        Table.AddDependency(database);

        WorkGroupName = $"{settings.StackName}-findings";
        WorkGroup = new CfnWorkGroup(this, "WorkGroup", new CfnWorkGroupProps
        {
            Name = WorkGroupName,
            Description = "KMS Trail Auditor: queries over findings",
            // Lets stack deletion remove the workgroup together with its saved queries.
            RecursiveDeleteOption = true,
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                // A guard against an unbounded scan of years of findings: 10 GB per query.
                BytesScannedCutoffPerQuery = 10L * 1024 * 1024 * 1024,
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = $"s3://{findings.Bucket.BucketName}/{FindingsStore.AthenaResultsPrefix}",
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty
                    {
                        EncryptionOption = "SSE_KMS",
                        KmsKey = findings.Key.KeyArn,
                    },
                },
            },
        });

        foreach (var (queryId, name, description, sql) in SavedQueries(DatabaseName))
        {
            var query = new CfnNamedQuery(this, queryId, new CfnNamedQueryProps
            {
                Name = name,
                Description = description,
                Database = DatabaseName,
                WorkGroup = WorkGroup.Ref,
                QueryString = sql,
            });
            query.AddDependency(Table);
        }
    }

    /// <summary>The Glue database.</summary>
    public string DatabaseName { get; }

    /// <summary>The findings table.</summary>
    public CfnTable Table { get; }

    /// <summary>The workgroup's name.</summary>
    public string WorkGroupName { get; }

    /// <summary>The workgroup.</summary>
    public CfnWorkGroup WorkGroup { get; }

    /// <summary>
    /// The saved queries. Each bounds <c>dt</c> so partition projection prunes to the days asked for.
    /// <c>authorization</c> is quoted: it is a keyword in Athena's SQL.
    /// </summary>
    public static IReadOnlyList<(string Id, string Name, string Description, string Sql)> SavedQueries(string database) =>
    [
        ("FindingsBySeverityPerDay", "findings-by-severity-per-day",
            "Findings per day and severity over the last 30 days",
            $"""
            SELECT dt, severity, count(*) AS findings
            FROM "{database}"."{TableName}"
            WHERE dt >= CAST(current_date - INTERVAL '30' DAY AS varchar)
            GROUP BY dt, severity
            ORDER BY dt DESC,
                     CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END
            """),
        ("RetiredGrantUseLast7Days", "retired-grant-use-last-7-days",
            "Calls made through grants after they were retired or revoked, last 7 days",
            $"""
            SELECT eventtime, severity, keyarn, principal, eventname,
                   "authorization".grantid AS grant_id, explanation, evidence
            FROM "{database}"."{TableName}"
            WHERE rule = 'retired-grant-use'
              AND dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
            ORDER BY eventtime DESC
            """),
        ("UnexpectedPrincipalsPerKey", "unexpected-principals-per-key",
            "Principals using each key without a key-policy statement, grant or baseline entry, last 30 days",
            $"""
            SELECT keyarn, principal,
                   count(*) AS calls,
                   array_join(array_sort(array_distinct(array_agg(eventname))), ', ') AS operations,
                   array_join(array_distinct(array_agg(severity)), ', ') AS severities,
                   min(eventtime) AS first_seen, max(eventtime) AS last_seen
            FROM "{database}"."{TableName}"
            WHERE rule = 'unexpected-principal'
              AND dt >= CAST(current_date - INTERVAL '30' DAY AS varchar)
            GROUP BY keyarn, principal
            ORDER BY keyarn, calls DESC
            """),
    ];
}
