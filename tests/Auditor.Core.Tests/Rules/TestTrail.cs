using Auditor.Core.Trail;

namespace Auditor.Core.Tests.Rules;

/// <summary>
/// Test data for KMS CloudTrail records, shaped like the records in ../shared/real-trails/aws-docs-kms:
/// callers of every identity type, key ARN in <c>resources</c>, encryption context, grant fields, errors.
/// Every event is a plain <see cref="KmsEvent"/>, so a test adjusts anything with a <c>with</c> expression.
/// Event ids are given by the test, never generated, so finding ids are stable.
/// </summary>
internal static class TestTrail
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string Region = "us-east-1";
    public const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string OtherKeyArn = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    /// <summary>The start of every scenario; offsets are in minutes from here.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    // ---- Callers -------------------------------------------------------------------------------

    public static UserIdentity User(string name, string account = Account) => new()
    {
        Type = "IAMUser",
        PrincipalId = "AIDA" + Hash(name + account),
        Arn = $"arn:aws:iam::{account}:user/{name}",
        AccountId = account,
        AccessKeyId = "AKIA" + Hash("k" + name),
        UserName = name,
    };

    /// <summary>An assumed-role session; the role ARN (with its path) only in <c>sessionIssuer</c>, as CloudTrail writes it.</summary>
    public static UserIdentity Role(string role, string session = "session-1", string account = Account, string path = "/") => new()
    {
        Type = "AssumedRole",
        PrincipalId = $"AROA{Hash(role + account)}:{session}",
        Arn = $"arn:aws:sts::{account}:assumed-role/{role}/{session}",
        AccountId = account,
        AccessKeyId = "ASIA" + Hash("k" + role + session),
        SessionIssuer = new SessionIssuer
        {
            Type = "Role",
            PrincipalId = "AROA" + Hash(role + account),
            Arn = $"arn:aws:iam::{account}:role{path}{role}",
            AccountId = account,
            UserName = role,
        },
    };

    /// <summary>An AWS service calling with its own identity (for example CloudTrail or a service-linked path).</summary>
    public static UserIdentity Service(string servicePrincipal) => new() { Type = "AWSService", InvokedBy = servicePrincipal };

    /// <summary>A caller in another account, as CloudTrail records it in the key owner's trail: only the account and principal id.</summary>
    public static UserIdentity CrossAccount(string account = OtherAccount, string principalId = "AROAEXTERNALROLE:ext-session") =>
        new() { Type = "AWSAccount", AccountId = account, PrincipalId = principalId };

    public static UserIdentity Root(string account = Account) => new()
    {
        Type = "Root",
        PrincipalId = account,
        Arn = $"arn:aws:iam::{account}:root",
        AccountId = account,
    };

    public static string UserArn(string name, string account = Account) => $"arn:aws:iam::{account}:user/{name}";

    public static string RoleArn(string role, string account = Account) => $"arn:aws:iam::{account}:role/{role}";

    // ---- Events --------------------------------------------------------------------------------

    /// <summary>A call on a key, made directly from an IP address (no <c>invokedBy</c>): the shape of an SDK/CLI call.</summary>
    public static KmsEvent Call(string eventId, string eventName, double minutes, UserIdentity by, string? keyArn = KeyArn) => new()
    {
        EventId = eventId,
        EventTime = At(minutes),
        EventName = eventName,
        EventVersion = "1.08",
        AwsRegion = Region,
        RecipientAccountId = Account,
        EventType = "AwsApiCall",
        RequestId = "req-" + eventId,
        ReadOnly = eventName.StartsWith("Describe", StringComparison.Ordinal) || eventName.StartsWith("List", StringComparison.Ordinal) || eventName.StartsWith("Get", StringComparison.Ordinal),
        UserIdentity = by,
        SourceIpAddress = "198.51.100.7",
        UserAgent = "aws-cli/2.15.0",
        Request = keyArn is null ? KmsRequest.Empty : new KmsRequest { KeyId = keyArn },
        Resources = keyArn is null ? [] : [new TrailResource(keyArn, Arns(keyArn), "AWS::KMS::Key")],
    };

    public static KmsEvent Decrypt(string eventId, double minutes, UserIdentity by, IReadOnlyDictionary<string, string>? context = null, string keyArn = KeyArn) =>
        Call(eventId, "Decrypt", minutes, by, keyArn).WithRequest(r => r with { EncryptionContext = context, EncryptionAlgorithm = "SYMMETRIC_DEFAULT" });

    public static KmsEvent CreateKey(string eventId, double minutes, UserIdentity by, string? policy, bool? bypass = null, string keyArn = KeyArn) =>
        Call(eventId, "CreateKey", minutes, by, keyArn).WithRequest(_ => new KmsRequest
        {
            Policy = policy,
            BypassPolicyLockoutSafetyCheck = bypass,
            KeySpec = "SYMMETRIC_DEFAULT",
            KeyUsage = "ENCRYPT_DECRYPT",
            Origin = "AWS_KMS",
            CreatedKeyId = keyArn[(keyArn.LastIndexOf('/') + 1)..],
            CreatedKeyArn = keyArn,
        });

    public static KmsEvent PutKeyPolicy(string eventId, double minutes, UserIdentity by, string policy, bool? bypass = null, string keyArn = KeyArn) =>
        Call(eventId, "PutKeyPolicy", minutes, by, keyArn).WithRequest(r => r with { Policy = policy, PolicyName = "default", BypassPolicyLockoutSafetyCheck = bypass });

    public static KmsEvent CreateGrant(string eventId, double minutes, UserIdentity by, string grantId, string grantee, IReadOnlyList<string> operations,
        string? retiring = null, IReadOnlyDictionary<string, string>? subset = null, IReadOnlyDictionary<string, string>? equals = null, string keyArn = KeyArn) =>
        Call(eventId, "CreateGrant", minutes, by, keyArn).WithRequest(r => r with
        {
            GranteePrincipal = grantee,
            RetiringPrincipal = retiring,
            Operations = operations,
            ConstraintEncryptionContextSubset = subset,
            ConstraintEncryptionContextEquals = equals,
            GrantId = grantId,
        });

    public static KmsEvent RetireGrant(string eventId, double minutes, UserIdentity by, string grantId, string keyArn = KeyArn) =>
        Call(eventId, "RetireGrant", minutes, by, keyArn).WithRequest(r => r with { GrantId = grantId });

    public static KmsEvent RevokeGrant(string eventId, double minutes, UserIdentity by, string grantId, string keyArn = KeyArn) =>
        Call(eventId, "RevokeGrant", minutes, by, keyArn).WithRequest(r => r with { GrantId = grantId });

    public static KmsEvent ScheduleKeyDeletion(string eventId, double minutes, UserIdentity by, int days = 7, string keyArn = KeyArn) =>
        Call(eventId, "ScheduleKeyDeletion", minutes, by, keyArn).WithRequest(r => r with { PendingWindowInDays = days, DeletionDate = At(minutes).AddDays(days) });

    /// <summary>CreateAlias/UpdateAlias/DeleteAlias: the alias in <c>aliasName</c>, the key in <c>targetKeyId</c>.</summary>
    public static KmsEvent Alias(string eventId, string eventName, double minutes, UserIdentity by, string aliasName, string? targetKeyArn) =>
        Call(eventId, eventName, minutes, by, targetKeyArn).WithRequest(_ => new KmsRequest { AliasName = aliasName, TargetKeyId = eventName == "DeleteAlias" ? null : targetKeyArn }) is var e
            // As in real records: the alias ARN first, then the key it points to.
            ? e with { Resources = [new TrailResource($"arn:aws:kms:{Region}:{Account}:{aliasName}", Account, "AWS::KMS::Key"), .. e.Resources] }
            : throw new InvalidOperationException();

    // ---- Adjusters -----------------------------------------------------------------------------

    public static KmsEvent WithRequest(this KmsEvent e, Func<KmsRequest, KmsRequest> change) => e with { Request = change(e.Request) };

    /// <summary>A failed call: <c>errorCode</c> set (AccessDenied, DisabledException, ...).</summary>
    public static KmsEvent Failed(this KmsEvent e, string errorCode = "AccessDenied") =>
        e with { ErrorCode = errorCode, ErrorMessage = $"{errorCode}: test" };

    /// <summary>Made by an AWS service on the caller's behalf: <c>invokedBy</c> and a service host as source.</summary>
    public static KmsEvent Via(this KmsEvent e, string service) =>
        e with { UserIdentity = e.UserIdentity with { InvokedBy = service }, SourceIpAddress = service, UserAgent = service };

    /// <summary>The key named by alias in the request (the resources still carry the key ARN, as in real records).</summary>
    public static KmsEvent ByAlias(this KmsEvent e, string alias) => e.WithRequest(r => r with { KeyId = alias });

    public static Dictionary<string, string> Context(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string? Arns(string arn) => Auditor.Core.State.Arns.Account(arn);

    private static string Hash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) h = (h ^ c) * 16777619;
        return h.ToString("X8") + "EXAMPLE";
    }
}
