using System.Globalization;
using System.Text.Json;

namespace Auditor.TrailGen;

/// <summary>
/// Writes CloudTrail records in the shapes AWS documents (field order and nesting included): management and
/// data events of EC2, S3, STS, IAM and Lambda, and KMS calls made directly, through S3 and EBS (with their
/// encryption contexts), grants created and retired on a user's behalf, key administration, and denials.
/// </summary>
public sealed class RecordWriter(Utf8JsonWriter w, Random rng, World world, World.Stream stream, GeneratorOptions options)
{
    private readonly string _account = stream.Account;
    private readonly string _region = stream.Region;
    private readonly List<(string GrantId, World.Key Key, string Instance)> _openGrants = [];

    public long KmsRecords { get; private set; }

    private static readonly string[] UserAgents =
    [
        "aws-sdk-java/2.25.11 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard",
        "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.214-202.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
        "aws-cli/2.15.38 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.cp",
        "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.156.0",
        "console.amazonaws.com",
    ];

    /// <summary>The keys' creation, policies and aliases: the state the engine judges every later call against.</summary>
    public void WriteKeySetup(DateTimeOffset at)
    {
        foreach (var key in world.Keys[(_account, _region)])
        {
            var admin = world.Users[_account][0];
            Envelope(at, "kms.amazonaws.com", "CreateKey", UserIdentityIam(admin), null, readOnly: false, kms: true,
                req => { req.WriteString("description", $"{key.Alias[6..]} data key"); req.WriteString("keyUsage", "ENCRYPT_DECRYPT"); req.WriteString("keySpec", "SYMMETRIC_DEFAULT"); req.WriteString("origin", "AWS_KMS"); req.WriteBoolean("bypassPolicyLockoutSafetyCheck", false); req.WriteString("policy", Policy(key)); req.WriteBoolean("multiRegion", false); },
                resp =>
                {
                    resp.WriteStartObject("keyMetadata");
                    resp.WriteString("aWSAccountId", _account); resp.WriteString("keyId", key.KeyId); resp.WriteString("arn", key.Arn);
                    resp.WriteString("creationDate", Fmt(at)); resp.WriteBoolean("enabled", true); resp.WriteString("description", ""); resp.WriteString("keyUsage", "ENCRYPT_DECRYPT");
                    resp.WriteString("keyState", "Enabled"); resp.WriteString("origin", "AWS_KMS"); resp.WriteString("keyManager", "CUSTOMER"); resp.WriteString("customerMasterKeySpec", "SYMMETRIC_DEFAULT");
                    resp.WriteString("keySpec", "SYMMETRIC_DEFAULT"); resp.WriteStartArray("encryptionAlgorithms"); resp.WriteStringValue("SYMMETRIC_DEFAULT"); resp.WriteEndArray(); resp.WriteBoolean("multiRegion", false);
                    resp.WriteEndObject();
                }, key);
            at = at.AddSeconds(2);
            Envelope(at, "kms.amazonaws.com", "CreateAlias", UserIdentityIam(admin), null, false, true,
                req => { req.WriteString("aliasName", key.Alias); req.WriteString("targetKeyId", key.KeyId); }, null, key);
            at = at.AddSeconds(30);
            Envelope(at, "kms.amazonaws.com", "PutKeyPolicy", UserIdentityIam(admin), null, false, true,
                req => { req.WriteString("keyId", key.KeyId); req.WriteString("policyName", "default"); req.WriteString("policy", Policy(key)); req.WriteBoolean("bypassPolicyLockoutSafetyCheck", false); }, null, key);
            at = at.AddSeconds(5);
        }
    }

    /// <summary>One record of the usual mix at time <paramref name="t"/>.</summary>
    public void WriteOne(DateTimeOffset t)
    {
        double p = rng.NextDouble();
        if (p < options.KmsShare) { WriteKms(t); return; }
        p = rng.NextDouble();
        if (p < 0.30) S3Data(t);
        else if (p < 0.55) Ec2(t);
        else if (p < 0.72) Sts(t);
        else if (p < 0.86) Iam(t);
        else Lambda(t);
    }

    private void WriteKms(DateTimeOffset t)
    {
        var keys = world.Keys[(_account, _region)];
        var key = keys[rng.Next(keys.Length)];
        double p = rng.NextDouble();
        if (p < options.DeniedShare)
        {
            // A long-lived user key probing keys it was never given: AccessDeniedException, no resources.
            var prober = world.Prober[_account];
            string op = rng.Next(2) == 0 ? "Decrypt" : "DescribeKey";
            Envelope(t, "kms.amazonaws.com", op, UserIdentityIam(prober), "AccessDenied", op == "DescribeKey", true,
                req => { if (op == "Decrypt") req.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT"); else req.WriteString("keyId", key.Alias); },
                null, null,
                error: $"User: {prober.Arn} is not authorized to perform: kms:{op} on resource: {key.Arn} because no identity-based policy allows the kms:{op} action");
            return;
        }
        p = rng.NextDouble();
        if (p < 0.36) S3Kms(t, key, "Decrypt");
        else if (p < 0.60) S3Kms(t, key, "GenerateDataKey");
        else if (p < 0.70) DirectKms(t, key, "Encrypt");
        else if (p < 0.78) DirectKms(t, key, "GenerateDataKey");
        else if (p < 0.86) DirectKms(t, key, "DescribeKey");
        else if (p < 0.91 || _openGrants.Count == 0) CreateEbsGrant(t, key);
        else if (p < 0.98) Ec2InfrastructureDecrypt(t);
        else RetireEbsGrant(t);
    }

    private void S3Kms(DateTimeOffset t, World.Key key, string op)
    {
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        string bucket = world.Buckets[_account][rng.Next(world.Buckets[_account].Length)];
        string obj = $"arn:aws:s3:::{bucket}/{ObjectKey()}";
        Envelope(t, "kms.amazonaws.com", op, UserIdentityRole(role, invokedBy: "s3.amazonaws.com"), null, true, true,
            req =>
            {
                if (op == "GenerateDataKey") { req.WriteString("keyId", key.Arn); req.WriteString("keySpec", "AES_256"); }
                req.WriteStartObject("encryptionContext"); req.WriteString("aws:s3:arn", obj); req.WriteEndObject();
                if (op == "Decrypt") req.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
            }, null, key, sourceIp: "s3.amazonaws.com", userAgent: "s3.amazonaws.com");
    }

    private void DirectKms(DateTimeOffset t, World.Key key, string op)
    {
        var role = key.UserRole;
        Envelope(t, "kms.amazonaws.com", op, UserIdentityRole(role, null), null, op != "Encrypt" || true, true,
            req =>
            {
                req.WriteString("keyId", op == "DescribeKey" ? key.Alias : key.Arn);
                if (op == "GenerateDataKey") req.WriteNumber("numberOfBytes", 32);
                if (op != "DescribeKey")
                {
                    req.WriteStartObject("encryptionContext");
                    req.WriteString("tenant", $"t-{rng.Next(500):D4}");
                    req.WriteString("purpose", op == "Encrypt" ? "order-payload" : "envelope");
                    req.WriteEndObject();
                    req.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
                }
            }, null, key);
    }

    private void CreateEbsGrant(DateTimeOffset t, World.Key key)
    {
        var user = world.Users[_account][rng.Next(world.Users[_account].Length)];
        string instance = "i-0" + Ids.HexString(rng, 16);
        string volume = "vol-0" + Ids.HexString(rng, 16);
        string grantId = Ids.HexString(rng, 64);
        _openGrants.Add((grantId, key, instance));
        Envelope(t, "kms.amazonaws.com", "CreateGrant", UserIdentityIam(user, invokedBy: "ec2.amazonaws.com"), null, false, true,
            req =>
            {
                req.WriteString("keyId", key.Arn);
                req.WriteStartObject("constraints"); req.WriteStartObject("encryptionContextSubset"); req.WriteString("aws:ebs:id", volume); req.WriteEndObject(); req.WriteEndObject();
                req.WriteString("granteePrincipal", $"{_account}:aws:ec2-infrastructure:{instance}");
                req.WriteStartArray("operations"); req.WriteStringValue("Decrypt"); req.WriteEndArray();
                req.WriteString("retiringPrincipal", "ec2.us-east-1.amazonaws.com".Replace("us-east-1", _region, StringComparison.Ordinal));
            },
            resp => resp.WriteString("grantId", grantId), key, sourceIp: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com");
    }

    private void Ec2InfrastructureDecrypt(DateTimeOffset t)
    {
        var (grantId, key, instance) = _openGrants[rng.Next(_openGrants.Count)];
        var identity = new Action<Utf8JsonWriter>(u =>
        {
            u.WriteString("type", "AssumedRole");
            u.WriteString("principalId", $"{_account}:aws:ec2-infrastructure:{instance}");
            u.WriteString("arn", $"arn:aws:sts::{_account}:assumed-role/aws:ec2-infrastructure/{instance}");
            u.WriteString("accountId", _account);
            u.WriteStartObject("sessionContext");
            u.WriteStartObject("sessionIssuer"); u.WriteString("type", "Role"); u.WriteString("principalId", _account + ":aws:ec2-infrastructure"); u.WriteString("arn", $"arn:aws:iam::{_account}:role/aws:ec2-infrastructure"); u.WriteString("accountId", _account); u.WriteString("userName", "aws:ec2-infrastructure"); u.WriteEndObject();
            u.WriteStartObject("attributes"); u.WriteString("creationDate", Fmt(t.AddMinutes(-3))); u.WriteString("mfaAuthenticated", "false"); u.WriteEndObject();
            u.WriteEndObject();
        });
        Envelope(t, "kms.amazonaws.com", "Decrypt", identity, null, true, true,
            req =>
            {
                req.WriteStartObject("encryptionContext"); req.WriteString("aws:ebs:id", "vol-0" + Ids.HexString(rng, 16)); req.WriteEndObject();
                req.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
            }, null, key, additional: a => a.WriteString("grantId", grantId));
    }

    private void RetireEbsGrant(DateTimeOffset t)
    {
        int i = rng.Next(_openGrants.Count);
        var (grantId, key, _) = _openGrants[i];
        _openGrants.RemoveAt(i);
        Envelope(t, "kms.amazonaws.com", "RetireGrant", u => { u.WriteString("type", "AWSService"); u.WriteString("invokedBy", "ec2.amazonaws.com"); }, null, false, true,
            req => { req.WriteString("keyId", key.Arn); req.WriteString("grantId", grantId); }, null, key, sourceIp: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com");
    }

    private void S3Data(DateTimeOffset t)
    {
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        string bucket = world.Buckets[_account][rng.Next(world.Buckets[_account].Length)];
        string key = ObjectKey();
        bool put = rng.Next(3) == 0;
        bool denied = rng.NextDouble() < options.DeniedShare / 2;
        Envelope(t, "s3.amazonaws.com", put ? "PutObject" : "GetObject", UserIdentityRole(role, null), denied ? "AccessDenied" : null, !put, false,
            req => { req.WriteString("bucketName", bucket); req.WriteString("Host", $"{bucket}.s3.{_region}.amazonaws.com"); req.WriteString("key", key); if (put) req.WriteString("x-amz-server-side-encryption", "aws:kms"); },
            resp => { if (put) { req2(resp); } },
            null,
            additional: a => { a.WriteString("SignatureVersion", "SigV4"); a.WriteString("CipherSuite", "TLS_AES_128_GCM_SHA256"); a.WriteNumber("bytesTransferredIn", put ? rng.Next(1000, 5_000_000) : 0); a.WriteString("AuthenticationMethod", "AuthHeader"); a.WriteString("x-amz-id-2", Ids.Upper(rng, 60)); a.WriteNumber("bytesTransferredOut", put ? 0 : rng.Next(1000, 5_000_000)); },
            resources: r =>
            {
                r.WriteStartObject(); r.WriteString("type", "AWS::S3::Object"); r.WriteString("ARN", $"arn:aws:s3:::{bucket}/{key}"); r.WriteEndObject();
                r.WriteStartObject(); r.WriteString("accountId", _account); r.WriteString("type", "AWS::S3::Bucket"); r.WriteString("ARN", $"arn:aws:s3:::{bucket}"); r.WriteEndObject();
            },
            data: true, error: denied ? "Access Denied" : null);

        void req2(Utf8JsonWriter resp) { resp.WriteString("x-amz-server-side-encryption", "aws:kms"); resp.WriteString("x-amz-server-side-encryption-aws-kms-key-id", world.Keys[(_account, _region)][0].Arn); }
    }

    private void Ec2(DateTimeOffset t)
    {
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        int kind = rng.Next(10);
        if (kind < 7)
        {
            Envelope(t, "ec2.amazonaws.com", kind < 4 ? "DescribeInstances" : "DescribeVolumes", UserIdentityRole(role, null), null, true, false,
                req =>
                {
                    req.WriteStartObject(kind < 4 ? "instancesSet" : "volumeSet"); req.WriteStartArray("items");
                    for (int i = rng.Next(1, 4); i > 0; i--) { req.WriteStartObject(); req.WriteString(kind < 4 ? "instanceId" : "volumeId", (kind < 4 ? "i-0" : "vol-0") + Ids.HexString(rng, 16)); req.WriteEndObject(); }
                    req.WriteEndArray(); req.WriteEndObject();
                    req.WriteStartObject("filterSet"); req.WriteEndObject();
                }, null, null);
            return;
        }
        string instance = "i-0" + Ids.HexString(rng, 16);
        Envelope(t, "ec2.amazonaws.com", "RunInstances", UserIdentityRole(world.AppRoles[_account][3], null), null, false, false,
            req =>
            {
                req.WriteStartObject("instancesSet"); req.WriteStartArray("items"); req.WriteStartObject(); req.WriteString("imageId", "ami-0" + Ids.HexString(rng, 16)); req.WriteNumber("minCount", 1); req.WriteNumber("maxCount", 1); req.WriteEndObject(); req.WriteEndArray(); req.WriteEndObject();
                req.WriteString("instanceType", "m6i.large"); req.WriteBoolean("monitoring", false); req.WriteBoolean("disableApiTermination", false);
            },
            resp =>
            {
                resp.WriteString("requestId", Ids.Guid(rng)); resp.WriteString("reservationId", "r-0" + Ids.HexString(rng, 16)); resp.WriteString("ownerId", _account);
                resp.WriteStartObject("instancesSet"); resp.WriteStartArray("items"); resp.WriteStartObject();
                resp.WriteString("instanceId", instance); resp.WriteString("imageId", "ami-0" + Ids.HexString(rng, 16));
                resp.WriteStartObject("instanceState"); resp.WriteNumber("code", 0); resp.WriteString("name", "pending"); resp.WriteEndObject();
                resp.WriteString("privateDnsName", $"ip-10-0-{rng.Next(256)}-{rng.Next(256)}.{_region}.compute.internal"); resp.WriteNumber("amiLaunchIndex", 0);
                resp.WriteString("instanceType", "m6i.large"); resp.WriteNumber("launchTime", t.ToUnixTimeMilliseconds());
                resp.WriteStartObject("placement"); resp.WriteString("availabilityZone", _region + "a"); resp.WriteString("tenancy", "default"); resp.WriteEndObject();
                resp.WriteString("subnetId", "subnet-0" + Ids.HexString(rng, 16)); resp.WriteString("vpcId", "vpc-0" + Ids.HexString(rng, 16)); resp.WriteString("privateIpAddress", $"10.0.{rng.Next(256)}.{rng.Next(256)}");
                resp.WriteBoolean("sourceDestCheck", true); resp.WriteString("architecture", "x86_64"); resp.WriteString("rootDeviceType", "ebs"); resp.WriteString("rootDeviceName", "/dev/xvda");
                resp.WriteString("virtualizationType", "hvm"); resp.WriteString("hypervisor", "xen"); resp.WriteBoolean("ebsOptimized", true); resp.WriteBoolean("enaSupport", true);
                resp.WriteEndObject(); resp.WriteEndArray(); resp.WriteEndObject();
            }, null);
    }

    private void Sts(DateTimeOffset t)
    {
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        string session = $"{role.Name}-{Ids.HexString(rng, 8)}";
        Envelope(t, "sts.amazonaws.com", "AssumeRole", u => { u.WriteString("type", "AWSService"); u.WriteString("invokedBy", rng.Next(2) == 0 ? "ecs-tasks.amazonaws.com" : "lambda.amazonaws.com"); }, null, true, false,
            req => { req.WriteString("roleArn", role.Arn); req.WriteString("roleSessionName", session); req.WriteNumber("durationSeconds", 3600); },
            resp =>
            {
                resp.WriteStartObject("credentials"); resp.WriteString("accessKeyId", "ASIA" + Ids.Upper(rng, 16)); resp.WriteString("sessionToken", Ids.Upper(rng, 200)); resp.WriteString("expiration", t.AddHours(1).ToString("MMM d, yyyy, h:mm:ss tt", CultureInfo.InvariantCulture)); resp.WriteEndObject();
                resp.WriteStartObject("assumedRoleUser"); resp.WriteString("assumedRoleId", $"{role.RoleId}:{session}"); resp.WriteString("arn", $"arn:aws:sts::{_account}:assumed-role/{role.Name}/{session}"); resp.WriteEndObject();
            }, null,
            resources: r => { r.WriteStartObject(); r.WriteString("accountId", _account); r.WriteString("type", "AWS::IAM::Role"); r.WriteString("ARN", role.Arn); r.WriteEndObject(); },
            sourceIp: "ecs-tasks.amazonaws.com", userAgent: "ecs-tasks.amazonaws.com", shared: true);
    }

    private void Iam(DateTimeOffset t)
    {
        var user = world.Users[_account][rng.Next(world.Users[_account].Length)];
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        string op = rng.Next(3) switch { 0 => "GetRole", 1 => "ListAttachedRolePolicies", _ => "GetRolePolicy" };
        Envelope(t, "iam.amazonaws.com", op, UserIdentityIam(user), null, true, false,
            req => { req.WriteString("roleName", role.Name); if (op == "GetRolePolicy") req.WriteString("policyName", "inline-app-access"); }, null, null, region: "us-east-1");
    }

    private void Lambda(DateTimeOffset t)
    {
        var role = world.AppRoles[_account][rng.Next(world.AppRoles[_account].Length)];
        string fn = $"arn:aws:lambda:{_region}:{_account}:function:{role.Name.Replace("app-", "", StringComparison.Ordinal)}";
        bool invoke = rng.Next(3) != 0;
        Envelope(t, "lambda.amazonaws.com", invoke ? "Invoke" : "GetFunction20150331v2", UserIdentityRole(role, null), null, !invoke, false,
            req => req.WriteString("functionName", fn), null, null,
            additional: invoke ? a => { a.WriteString("functionVersion", fn + ":$LATEST"); } : null,
            resources: invoke ? r => { r.WriteStartObject(); r.WriteString("accountId", _account); r.WriteString("type", "AWS::Lambda::Function"); r.WriteString("ARN", fn); r.WriteEndObject(); } : null,
            data: invoke);
    }

    private void Envelope(DateTimeOffset t, string source, string name, Action<Utf8JsonWriter> identity, string? errorCode, bool readOnly, bool kms,
        Action<Utf8JsonWriter>? request, Action<Utf8JsonWriter>? response, World.Key? key,
        Action<Utf8JsonWriter>? additional = null, Action<Utf8JsonWriter>? resources = null, string? sourceIp = null, string? userAgent = null,
        bool data = false, string? error = null, string? region = null, bool shared = false)
    {
        if (kms) KmsRecords++;
        w.WriteStartObject();
        w.WriteString("eventVersion", data ? "1.10" : "1.09");
        w.WriteStartObject("userIdentity"); identity(w); w.WriteEndObject();
        w.WriteString("eventTime", Fmt(t));
        w.WriteString("eventSource", source);
        w.WriteString("eventName", name);
        w.WriteString("awsRegion", region ?? _region);
        w.WriteString("sourceIPAddress", sourceIp ?? $"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}");
        w.WriteString("userAgent", userAgent ?? UserAgents[rng.Next(UserAgents.Length)]);
        if (errorCode is not null)
        {
            w.WriteString("errorCode", errorCode);
            w.WriteString("errorMessage", error ?? "Access Denied");
        }
        if (request is null) w.WriteNull("requestParameters");
        else { w.WriteStartObject("requestParameters"); request(w); w.WriteEndObject(); }
        if (response is null || errorCode is not null) w.WriteNull("responseElements");
        else { w.WriteStartObject("responseElements"); response(w); w.WriteEndObject(); }
        if (additional is not null) { w.WriteStartObject("additionalEventData"); additional(w); w.WriteEndObject(); }
        w.WriteString("requestID", kms || source == "sts.amazonaws.com" ? Ids.Guid(rng) : Ids.Upper(rng, 16));
        w.WriteString("eventID", Ids.Guid(rng));
        w.WriteBoolean("readOnly", readOnly);
        if (key is not null && errorCode is null)
        {
            w.WriteStartArray("resources");
            w.WriteStartObject(); w.WriteString("accountId", key.Account); w.WriteString("type", "AWS::KMS::Key"); w.WriteString("ARN", key.Arn); w.WriteEndObject();
            w.WriteEndArray();
        }
        else if (resources is not null) { w.WriteStartArray("resources"); resources(w); w.WriteEndArray(); }
        w.WriteString("eventType", "AwsApiCall");
        w.WriteBoolean("managementEvent", !data);
        w.WriteString("recipientAccountId", _account);
        if (shared || (kms && sourceIp is not null && sourceIp.EndsWith(".amazonaws.com", StringComparison.Ordinal))) w.WriteString("sharedEventID", Ids.Guid(rng));
        w.WriteString("eventCategory", data ? "Data" : "Management");
        if (sourceIp is null || !sourceIp.EndsWith(".amazonaws.com", StringComparison.Ordinal))
        {
            w.WriteStartObject("tlsDetails");
            w.WriteString("tlsVersion", "TLSv1.3"); w.WriteString("cipherSuite", "TLS_AES_128_GCM_SHA256");
            w.WriteString("clientProvidedHostHeader", $"{source.Replace(".amazonaws.com", "", StringComparison.Ordinal)}.{_region}.amazonaws.com");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private Action<Utf8JsonWriter> UserIdentityRole(World.Role role, string? invokedBy) => u =>
    {
        string session = $"{role.Name}-{rng.Next(1000, 9999)}";
        u.WriteString("type", "AssumedRole");
        u.WriteString("principalId", $"{role.RoleId}:{session}");
        u.WriteString("arn", $"arn:aws:sts::{role.Account}:assumed-role/{role.Name}/{session}");
        u.WriteString("accountId", role.Account);
        u.WriteString("accessKeyId", "ASIA" + Ids.Upper(rng, 16));
        u.WriteStartObject("sessionContext");
        u.WriteStartObject("sessionIssuer"); u.WriteString("type", "Role"); u.WriteString("principalId", role.RoleId); u.WriteString("arn", role.Arn); u.WriteString("accountId", role.Account); u.WriteString("userName", role.Name); u.WriteEndObject();
        u.WriteStartObject("webIdFederationData"); u.WriteEndObject();
        u.WriteStartObject("attributes"); u.WriteString("creationDate", "2024-05-01T00:00:00Z"); u.WriteString("mfaAuthenticated", "false"); u.WriteEndObject();
        u.WriteEndObject();
        if (invokedBy is not null) u.WriteString("invokedBy", invokedBy);
    };

    private static Action<Utf8JsonWriter> UserIdentityIam(World.User user, string? invokedBy = null) => u =>
    {
        u.WriteString("type", "IAMUser");
        u.WriteString("principalId", user.UserId);
        u.WriteString("arn", user.Arn);
        u.WriteString("accountId", user.Account);
        u.WriteString("accessKeyId", user.AccessKey);
        u.WriteString("userName", user.Name);
        if (invokedBy is not null) u.WriteString("invokedBy", invokedBy);
    };

    private string ObjectKey() => $"{(rng.Next(4) switch { 0 => "exports", 1 => "raw/events", 2 => "reports/daily", _ => "uploads" })}/2024/05/{rng.Next(1, 29):D2}/{Ids.HexString(rng, 12)}.parquet";

    private static string Fmt(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Separate administrator and user statements, root delegation, and grants only for AWS resources: the policy shape KMS's docs recommend.</summary>
    private static string Policy(World.Key key) =>
        
        "{\"Version\":\"2012-10-17\",\"Id\":\"key-policy-" +
        key.Alias[6..] +
        "\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" +
        key.Account +
        ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Allow access for Key Administrators\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" +
        key.AdminRole.Arn +
        "\"},\"Action\":[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\",\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\",\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\"],\"Resource\":\"*\"},{\"Sid\":\"Allow use of the key\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" +
        key.UserRole.Arn +
        "\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:DescribeKey\"],\"Resource\":\"*\"},{\"Sid\":\"Allow attachment of persistent resources\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" +
        key.UserRole.Arn +
        "\"},\"Action\":[\"kms:CreateGrant\",\"kms:ListGrants\",\"kms:RevokeGrant\"],\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}}}]}";
}
