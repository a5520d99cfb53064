using System.Globalization;
using System.Net;
using Auditor.Core.Grants;
using Auditor.Core.Policy;
using Auditor.Core.Trail;

namespace Auditor.Core.Authorization;

/// <summary>
/// Builds the <see cref="RequestContext"/> KMS evaluated for a CloudTrail record, with every condition key
/// the record proves, and lists as unknown the keys it does not (three-valued evaluation then refuses to
/// guess). Inferences and the pages they rest on:
/// <list type="bullet">
/// <item><c>kms:CallerAccount</c>, <c>aws:PrincipalAccount</c>: the caller's account (<c>userIdentity.accountId</c>)
/// — KMS "Condition keys": kms:CallerAccount; IAM "Global condition context keys".</item>
/// <item><c>aws:PrincipalArn</c>: the user ARN, the role ARN for a session (from <c>sessionIssuer</c>), the
/// account root ARN for the root user; <c>aws:PrincipalType</c> User/AssumedRole/Account/FederatedUser;
/// <c>aws:userid</c> = <c>principalId</c>; <c>aws:username</c> for IAM users only — IAM "Global condition
/// context keys", table of aws:userid/aws:username by principal type.</item>
/// <item><c>kms:EncryptionContext:&lt;k&gt;</c> and <c>kms:EncryptionContextKeys</c>: the recorded
/// <c>encryptionContext</c> (CloudTrail records it for every KMS operation that takes one; source context for
/// ReEncryptFrom, destination context for ReEncryptTo) — KMS "Condition keys".</item>
/// <item><c>kms:EncryptionAlgorithm</c>, <c>kms:GrantOperations</c>, <c>kms:GranteePrincipal</c>,
/// <c>kms:RetiringPrincipal</c>, <c>kms:GrantConstraintType</c>, <c>kms:KeySpec</c>/<c>KeyUsage</c>/<c>KeyOrigin</c>
/// /<c>MultiRegion</c> (CreateKey, with the API defaults when omitted), <c>kms:BypassPolicyLockoutSafetyCheck</c>:
/// the request parameters.</item>
/// <item><c>kms:RequestAlias</c>: <c>keyId</c> when it is an alias name or alias ARN (value <c>alias/NAME</c>).</item>
/// <item><c>kms:ViaService</c>: when <c>invokedBy</c> (or a <c>sourceIPAddress</c> that is a service host name) shows
/// the call was made by an AWS service on the caller's behalf, <c>SERVICE.REGION.amazonaws.com</c>; when the
/// caller called directly (an IP address, no <c>invokedBy</c>) the key is absent — KMS "kms:ViaService".</item>
/// <item><c>kms:GrantIsForAWSResource</c> (CreateGrant, ListGrants, RevokeGrant): true when an integrated service
/// invoked the call, false for a direct call — KMS "kms:GrantIsForAWSResource".</item>
/// <item><c>aws:SourceIp</c>: <c>sourceIPAddress</c> when it is an IP and no VPC endpoint was used (through an
/// endpoint the key is absent and <c>aws:VpcSourceIp</c>/<c>aws:SourceVpce</c> hold the address and endpoint);
/// unknown when the record shows a service host name or "AWS Internal" — IAM "aws:SourceIp".</item>
/// <item><c>aws:CurrentTime</c>/<c>aws:EpochTime</c>: <c>eventTime</c>; <c>aws:SecureTransport</c>: true (KMS
/// endpoints accept only TLS); <c>aws:RequestedRegion</c>: <c>awsRegion</c>; <c>aws:ResourceAccount</c>: the key's
/// account; <c>aws:MultiFactorAuthPresent</c>: <c>sessionContext.attributes.mfaAuthenticated</c> when recorded.</item>
/// <item>Unknown (never recorded by CloudTrail): <c>aws:PrincipalOrgID</c>, <c>aws:PrincipalOrgPaths</c>,
/// <c>aws:PrincipalTag/*</c>, <c>aws:ResourceTag/*</c>, <c>aws:RequestTag/*</c>, <c>aws:TagKeys</c>,
/// <c>aws:SourceVpc</c>, <c>aws:CalledVia*</c>, <c>aws:SourceArn</c>/<c>SourceAccount</c>/<c>SourceOrgID</c>,
/// <c>aws:MultiFactorAuthAge</c>, <c>aws:TokenIssueTime</c>, <c>kms:ResourceAliases</c>, and the key's own
/// metadata keys outside CreateKey; <c>kms:ViaService</c>/<c>kms:GrantIsForAWSResource</c> when the record does
/// not settle them.</item>
/// </list>
/// </summary>
public static class RequestContextBuilder
{
    /// <summary>Keys CloudTrail never records (families end in <c>/*</c>).</summary>
    private static readonly string[] NeverRecorded =
    [
        "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalTag/*", "aws:ResourceTag/*", "aws:RequestTag/*",
        "aws:TagKeys", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:SourceArn", "aws:SourceAccount",
        "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:MultiFactorAuthAge", "aws:TokenIssueTime", "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList", "aws:FederatedProvider", "aws:SourceIdentity", "aws:Ec2InstanceSourceVpc",
        "aws:Ec2InstanceSourcePrivateIPv4", "aws:VpceAccount", "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:Referer",
        "aws:UserAgent", "aws:IsMcpServiceAction", "kms:ResourceAliases", "kms:GrantConstraintSourceArn",
        "kms:GranteeServicePrincipal", "kms:RetiringServicePrincipal", "kms:RecipientAttestation:*",
        "kms:RecipientAttestation:ImageSha384", "kms:RecipientAttestation:PCR*", "kms:KeyAgreementAlgorithm",
        "kms:MacAlgorithm", "kms:MessageType", "kms:SigningAlgorithm", "kms:ExpirationModel", "kms:ValidTo",
        "kms:WrappingAlgorithm", "kms:WrappingKeySpec", "kms:ReEncryptOnSameKey", "kms:RotationPeriodInDays",
        "kms:ScheduleKeyDeletionPendingWindowInDays", "kms:PrimaryRegion", "kms:ReplicaRegion", "kms:DataKeyPairSpec",
        "kms:CustomerMasterKeySpec", "kms:CustomerMasterKeyUsage",
    ];

    private static readonly HashSet<string> NeverRecordedSet = new(NeverRecorded, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> EncryptionContextOps = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    };

    private static readonly HashSet<string> GrantOps = new(StringComparer.Ordinal) { "CreateGrant", "ListGrants", "RevokeGrant" };

    public static RequestContext Build(KmsEvent e, string keyArn)
    {
        var caller = CallerOf(e.UserIdentity);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var unknown = new UnknownKeySet();
        var req = e.Request;
        var u = e.UserIdentity;

        // Action (ReEncrypt is authorized as ReEncryptFrom on the source key and ReEncryptTo on the destination).
        string action = e.Action;
        IReadOnlyDictionary<string, string>? context = req.EncryptionContext;
        if (e.EventName == "ReEncrypt")
        {
            bool isDestination = req.DestinationKeyId is { } dest && KeyMatches(keyArn, dest);
            action = isDestination ? "kms:ReEncryptTo" : "kms:ReEncryptFrom";
            context = isDestination ? req.DestinationEncryptionContext : req.SourceEncryptionContext ?? req.EncryptionContext;
        }

        // Principal keys.
        string? account = PrincipalArns.AccountOf(caller);
        if (account is not null)
        {
            values["kms:CallerAccount"] = [account];
            values["aws:PrincipalAccount"] = [account];
        }
        else if (caller.ServicePrincipal is null)
        {
            unknown.Add("kms:CallerAccount");
            unknown.Add("aws:PrincipalAccount");
        }
        switch (u.Type)
        {
            case "IAMUser":
                Put(values, "aws:PrincipalArn", caller.Arn);
                values["aws:PrincipalType"] = ["User"];
                Put(values, "aws:username", u.UserName ?? UserNameOf(caller.Arn));
                Put(values, "aws:userid", u.PrincipalId);
                break;
            case "AssumedRole":
                if (caller.RoleArn is not null) values["aws:PrincipalArn"] = [caller.RoleArn];
                else unknown.Add("aws:PrincipalArn"); // the role's path is not in the session ARN
                values["aws:PrincipalType"] = ["AssumedRole"];
                Put(values, "aws:userid", u.PrincipalId);
                break;
            case "Root":
                values["aws:PrincipalArn"] = [caller.Arn!];
                values["aws:PrincipalType"] = ["Account"];
                Put(values, "aws:userid", account);
                break;
            case "FederatedUser":
                Put(values, "aws:PrincipalArn", caller.Arn);
                values["aws:PrincipalType"] = ["FederatedUser"];
                Put(values, "aws:userid", u.PrincipalId);
                break;
            case "AWSService":
                values["aws:PrincipalIsAWSService"] = ["true"];
                unknown.Add("aws:SourceAccount");
                break;
            default:
                foreach (var k in new[] { "aws:PrincipalArn", "aws:PrincipalType", "aws:userid", "aws:username" }) unknown.Add(k);
                break;
        }
        if (u.Type is not ("AWSService" or null) && caller.ServicePrincipal is null) values["aws:PrincipalIsAWSService"] = ["false"];
        else if (u.Type is null) unknown.Add("aws:PrincipalIsAWSService");
        if (u.MfaAuthenticated is { } mfa) values["aws:MultiFactorAuthPresent"] = [mfa ? "true" : "false"];
        else if (u.Type is "IAMUser" or "AssumedRole" or "FederatedUser" or "Root" or null) unknown.Add("aws:MultiFactorAuthPresent");

        // Time, transport, region, resource account.
        values["aws:CurrentTime"] = [e.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)];
        values["aws:EpochTime"] = [e.EventTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
        values["aws:SecureTransport"] = ["true"];
        Put(values, "aws:RequestedRegion", e.AwsRegion);
        Put(values, "aws:ResourceAccount", PrincipalArns.AccountOfArn(keyArn));

        // Network.
        string? ip = e.SourceIpAddress;
        bool isIp = ip is not null && IPAddress.TryParse(ip, out _);
        if (e.VpcEndpointId is not null)
        {
            values["aws:SourceVpce"] = [e.VpcEndpointId];
            if (isIp) values["aws:VpcSourceIp"] = [ip!]; else unknown.Add("aws:VpcSourceIp");
            unknown.Add("aws:SourceVpc");
        }
        else if (isIp) values["aws:SourceIp"] = [ip!];
        else unknown.Add("aws:SourceIp"); // a service host name or "AWS Internal": what KMS saw is not recorded

        // Was the call made by an AWS service on the caller's behalf?
        string? via = ViaService(u, ip, e.AwsRegion);
        bool direct = u.InvokedBy is null && isIp;
        if (via is not null && u.Type != "AWSService")
        {
            values["kms:ViaService"] = [via];
            values["aws:ViaAWSService"] = ["true"];
        }
        else if (direct)
            values["aws:ViaAWSService"] = ["false"];
        else
        {
            unknown.Add("kms:ViaService");
            unknown.Add("aws:ViaAWSService");
        }
        if (GrantOps.Contains(e.EventName))
        {
            if (via is not null && u.Type != "AWSService") values["kms:GrantIsForAWSResource"] = ["true"];
            else if (direct) values["kms:GrantIsForAWSResource"] = ["false"];
            else unknown.Add("kms:GrantIsForAWSResource");
        }

        // Encryption context.
        if (context is not null && context.Count > 0)
        {
            var keys = new List<string>(context.Count);
            foreach (var (k, v) in context)
            {
                values["kms:EncryptionContext:" + k] = [v];
                keys.Add(k);
            }
            values["kms:EncryptionContextKeys"] = keys;
        }
        if (req.EncryptionAlgorithm is not null) values["kms:EncryptionAlgorithm"] = [req.EncryptionAlgorithm];
        else if (EncryptionContextOps.Contains(e.EventName) && e.EventName is not ("GenerateDataKey" or "GenerateDataKeyWithoutPlaintext"))
            unknown.Add("kms:EncryptionAlgorithm");

        // Alias named in the request.
        if (req.KeyId is { } keyId)
        {
            int at = keyId.IndexOf("alias/", StringComparison.Ordinal);
            if (keyId.StartsWith("alias/", StringComparison.Ordinal) || (keyId.StartsWith("arn:", StringComparison.Ordinal) && at > 0 && keyId[..at].EndsWith(':')))
                values["kms:RequestAlias"] = [keyId[at..]];
        }

        // Grants.
        GrantConstraints? requestedConstraints = null;
        if (e.EventName == "CreateGrant")
        {
            if (req.Operations is { Count: > 0 } ops) values["kms:GrantOperations"] = ops;
            Put(values, "kms:GranteePrincipal", req.GranteePrincipal);
            Put(values, "kms:RetiringPrincipal", req.RetiringPrincipal);
            var types = new List<string>(2);
            if (req.ConstraintEncryptionContextSubset is not null) types.Add("EncryptionContextSubset");
            if (req.ConstraintEncryptionContextEquals is not null) types.Add("EncryptionContextEquals");
            if (types.Count > 0)
            {
                values["kms:GrantConstraintType"] = types;
                requestedConstraints = new GrantConstraints
                {
                    EncryptionContextSubset = req.ConstraintEncryptionContextSubset,
                    EncryptionContextEquals = req.ConstraintEncryptionContextEquals,
                };
            }
        }

        // Key metadata keys: known from the request only when the key is being created.
        if (e.EventName == "CreateKey")
        {
            values["kms:KeySpec"] = [req.KeySpec ?? "SYMMETRIC_DEFAULT"];
            values["kms:KeyUsage"] = [req.KeyUsage ?? "ENCRYPT_DECRYPT"];
            values["kms:KeyOrigin"] = [req.Origin ?? "AWS_KMS"];
            values["kms:MultiRegion"] = [req.MultiRegion == true ? "true" : "false"];
        }
        else
        {
            unknown.Add("kms:KeySpec");
            unknown.Add("kms:KeyUsage");
            unknown.Add("kms:KeyOrigin");
            unknown.Add("kms:MultiRegion");
            unknown.Add("kms:MultiRegionKeyType");
        }
        if (e.EventName is "CreateKey" or "PutKeyPolicy")
            values["kms:BypassPolicyLockoutSafetyCheck"] = [req.BypassPolicyLockoutSafetyCheck == true ? "true" : "false"];

        return new RequestContext
        {
            Action = action,
            Resource = keyArn,
            Caller = caller,
            Values = values,
            UnknownKeys = unknown,
            EncryptionContext = context,
            TargetGrantId = e.EventName is "RetireGrant" or "RevokeGrant" ? req.GrantId : null,
            RequestedGrantConstraints = requestedConstraints,
        };
    }

    /// <summary>
    /// The caller as policies name it (CloudTrail User Guide, "userIdentity element"): IAM users by ARN; sessions
    /// by their session ARN with the role from <c>sessionIssuer</c>; the root user as the account root ARN; an
    /// AWS service by its service principal (<c>invokedBy</c>); a caller of another account recorded only by
    /// its account (<c>AWSAccount</c>) as that account with the principal unknown.
    /// </summary>
    public static CallerPrincipal CallerOf(UserIdentity u)
    {
        string? account = u.AccountId ?? PrincipalArns.AccountOfArn(u.Arn);
        switch (u.Type)
        {
            case "AWSService":
                return new CallerPrincipal
                {
                    Type = u.Type,
                    ServicePrincipal = u.InvokedBy,
                    PrincipalId = u.PrincipalId ?? u.InvokedBy,
                    AccountId = u.AccountId,
                    IdentityUnknown = u.InvokedBy is null,
                };
            case "Root":
                return new CallerPrincipal
                {
                    Type = u.Type,
                    Arn = u.Arn ?? (account is null ? null : $"arn:aws:iam::{account}:root"),
                    AccountId = account,
                    PrincipalId = u.PrincipalId ?? account,
                    IdentityUnknown = account is null && u.Arn is null,
                };
            case "AssumedRole":
                return new CallerPrincipal
                {
                    Type = u.Type,
                    Arn = u.Arn,
                    RoleArn = u.SessionIssuer is { Type: "Role", Arn: { } role } ? role : null,
                    PrincipalId = u.PrincipalId,
                    AccountId = account,
                    IdentityUnknown = u.Arn is null,
                };
            case "IAMUser" or "FederatedUser":
                return new CallerPrincipal { Type = u.Type, Arn = u.Arn, PrincipalId = u.PrincipalId, AccountId = account, IdentityUnknown = u.Arn is null };
            default:
                // AWSAccount (a caller in another account: only its account and principal id are recorded),
                // IdentityCenterUser, Unknown, or no userIdentity at all.
                return new CallerPrincipal { Type = u.Type, Arn = u.Arn, PrincipalId = u.PrincipalId, AccountId = account, IdentityUnknown = u.Arn is null };
        }
    }

    // kms:ViaService names the service endpoint: SERVICE.REGION.amazonaws.com.
    private static string? ViaService(UserIdentity u, string? sourceIp, string? region)
    {
        string? host = u.InvokedBy is { } inv && IsServiceHost(inv) ? inv : sourceIp is not null && IsServiceHost(sourceIp) ? sourceIp : null;
        if (host is null || host.Equals("kms.amazonaws.com", StringComparison.OrdinalIgnoreCase)) return null;
        string service = host[..host.IndexOf('.')];
        if (host.Count(c => c == '.') >= 3 || region is null) return host; // already regional
        return $"{service}.{region}.amazonaws.com";
    }

    private static bool IsServiceHost(string s) => s.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("internal.", StringComparison.OrdinalIgnoreCase);

    private static bool KeyMatches(string keyArn, string keyIdOrArn) =>
        keyArn.Equals(keyIdOrArn, StringComparison.OrdinalIgnoreCase) || keyArn.EndsWith("/" + keyIdOrArn, StringComparison.OrdinalIgnoreCase);

    private static string? UserNameOf(string? arn)
    {
        if (arn is null) return null;
        int slash = arn.LastIndexOf('/');
        return slash >= 0 ? arn[(slash + 1)..] : null;
    }

    private static void Put(Dictionary<string, IReadOnlyList<string>> values, string key, string? value)
    {
        if (value is not null) values[key] = [value];
    }

    /// <summary>
    /// The unknown keys of one request: the keys CloudTrail never records (one shared set) plus the few this record
    /// leaves unsettled. Copying the ~50 shared keys into a new case-insensitive set for every call was a measurable
    /// part of judging a call; this set answers exactly as that copy would (case-insensitive, no duplicates).
    /// </summary>
    private sealed class UnknownKeySet : IReadOnlySet<string>
    {
        private HashSet<string>? _extra;

        public void Add(string key)
        {
            if (!NeverRecordedSet.Contains(key)) (_extra ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(key);
        }

        public int Count => NeverRecordedSet.Count + (_extra?.Count ?? 0);

        public bool Contains(string item) => NeverRecordedSet.Contains(item) || (_extra is not null && _extra.Contains(item));

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var k in NeverRecordedSet) yield return k;
            if (_extra is not null) foreach (var k in _extra) yield return k;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        // Set comparisons are rare (tests, diagnostics): answered on a materialised copy.
        private HashSet<string> Copy() => new(this, StringComparer.OrdinalIgnoreCase);
        public bool IsProperSubsetOf(IEnumerable<string> other) => Copy().IsProperSubsetOf(other);
        public bool IsProperSupersetOf(IEnumerable<string> other) => Copy().IsProperSupersetOf(other);
        public bool IsSubsetOf(IEnumerable<string> other) => Copy().IsSubsetOf(other);
        public bool IsSupersetOf(IEnumerable<string> other) => Copy().IsSupersetOf(other);
        public bool Overlaps(IEnumerable<string> other) => Copy().Overlaps(other);
        public bool SetEquals(IEnumerable<string> other) => Copy().SetEquals(other);
    }
}
