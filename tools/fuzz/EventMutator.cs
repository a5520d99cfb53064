using Auditor.Core.Trail;

namespace Auditor.Fuzz;

/// <summary>
/// Turns real KMS events into valid-but-hostile ones: every field a rule or the judge reads is swapped for an
/// odd value of the right type — extreme times, empty and malformed ARNs, aliases that point nowhere, policies
/// that are garbage or barely valid, grants with strange operations and constraints — so the engine and every
/// rule meet what a forged or corrupted trail can carry after the reader has accepted it.
/// </summary>
public sealed class EventMutator(Random random)
{
    private static readonly string[] EventNames =
    [
        "Decrypt", "Encrypt", "GenerateDataKey", "ReEncrypt", "Sign", "CreateGrant", "RetireGrant", "RevokeGrant", "CreateKey",
        "PutKeyPolicy", "ScheduleKeyDeletion", "CancelKeyDeletion", "DisableKey", "EnableKey", "CreateAlias", "UpdateAlias",
        "DeleteAlias", "DisableKeyRotation", "DeleteImportedKeyMaterial", "ImportKeyMaterial", "DescribeKey", "ListGrants", "", "kms:*", "Ünïcode",
    ];

    private static readonly string?[] Strings =
    [
        null, "", " ", "*", "?", "alias/", "alias/app", "alias/aws/s3", "arn:", "arn:aws:kms:us-east-1:111122223333:key/",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:111122223333:alias/app",
        "arn:aws:kms:::key/x", "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/x",
        "arn:aws:sts::111122223333:assumed-role/App/session", "111122223333", "AROAEXAMPLE:session", "s3.amazonaws.com",
        "arn:aws:iam::*:role/*", "\0", "\ud800", "a\u202eb", new string('a', 5000), "${aws:username}", "arn:aws:iam::111122223333:role/a/b/c/d",
    ];

    private static readonly string?[] Policies =
    [
        null, "", "{}", "[]", "null", "not json", "{\"Statement\":[]}", "{\"Statement\":{}}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[]},\"NotAction\":\"kms:Decrypt\",\"Condition\":{\"StringLike\":{\"kms:EncryptionContext:${aws:username}\":[\"*\"]}}}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\",\"Condition\":{\"NumericLessThan\":{\"kms:X\":\"1e999\"},\"DateGreaterThan\":{\"aws:CurrentTime\":\"0\"},\"IpAddress\":{\"aws:SourceIp\":\"999.1.1.1/99\"}}}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"\"},\"Action\":\"\",\"Resource\":\"\"}]}",
    ];

    private static readonly string?[] ErrorCodes = [null, null, null, "", "AccessDenied", "AccessDeniedException", "DisabledException", "KMSInvalidStateException", "NotFoundException"];

    private static readonly DateTimeOffset[] Times =
    [
        DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new(2024, 1, 1, 0, 4, 59, TimeSpan.Zero), new(2024, 1, 1, 0, 5, 1, TimeSpan.Zero), new(2024, 1, 8, 0, 0, 0, TimeSpan.Zero),
    ];

    public KmsEvent Mutate(KmsEvent e, IReadOnlyList<KmsEvent> others)
    {
        int edits = random.Next(1, 6);
        for (int i = 0; i < edits; i++) e = MutateOnce(e, others);
        return e;
    }

    private KmsEvent MutateOnce(KmsEvent e, IReadOnlyList<KmsEvent> others)
    {
        var r = e.Request;
        var other = others.Count > 0 ? others[random.Next(others.Count)] : e;
        return random.Next(22) switch
        {
            0 => e with { EventName = Pick(EventNames)! },
            1 => e with { EventTime = random.Next(2) == 0 ? Pick(Times) : Shift(e.EventTime, random.Next(-1_000_000, 1_000_000)) },
            2 => e with { ErrorCode = Pick(ErrorCodes) },
            3 => e with { EventId = random.Next(3) == 0 ? other.EventId : Pick(Strings) ?? "id-" + random.Next(1000) },
            4 => e with { UserIdentity = e.UserIdentity with { Arn = Pick(Strings), Type = Pick(["AssumedRole", "IAMUser", "Root", "AWSService", "AWSAccount", "", null]) } },
            5 => e with { UserIdentity = e.UserIdentity with { AccountId = Pick(Strings), PrincipalId = Pick(Strings), InvokedBy = Pick(Strings) } },
            6 => e with { UserIdentity = e.UserIdentity with { SessionIssuer = random.Next(2) == 0 ? null : new SessionIssuer { Arn = Pick(Strings), AccountId = Pick(Strings), Type = "Role" } } },
            7 => e with { Request = r with { KeyId = Pick(Strings) } },
            8 => e with { Request = r with { Policy = random.Next(3) == 0 ? other.Request.Policy : Pick(Policies) } },
            9 => e with { Request = r with { Operations = random.Next(4) == 0 ? null : Enumerable.Range(0, random.Next(6)).Select(_ => Pick(EventNames)!).ToList() } },
            10 => e with { Request = r with { GranteePrincipal = Pick(Strings), RetiringPrincipal = Pick(Strings) } },
            11 => e with { Request = r with { GrantId = random.Next(3) == 0 ? other.Request.GrantId : Pick(Strings) } },
            12 => e with { Request = r with { EncryptionContext = Map(), ConstraintEncryptionContextSubset = random.Next(2) == 0 ? Map() : null, ConstraintEncryptionContextEquals = random.Next(2) == 0 ? Map() : null } },
            13 => e with { Request = r with { AliasName = Pick(Strings), TargetKeyId = Pick(Strings) } },
            14 => e with { Resources = random.Next(3) == 0 ? [] : [new TrailResource(Pick(Strings), Pick(Strings), Pick(["AWS::KMS::Key", null, ""]))] },
            15 => e with { Request = r with { CreatedKeyId = Pick(Strings), CreatedKeyArn = Pick(Strings), ResponseKeyId = Pick(Strings) } },
            16 => e with { Request = r with { BypassPolicyLockoutSafetyCheck = random.Next(3) switch { 0 => null, 1 => true, _ => false }, PendingWindowInDays = random.Next(3) == 0 ? null : random.Next(int.MinValue, int.MaxValue) } },
            17 => e with { Request = r with { DeletionDate = random.Next(2) == 0 ? null : Pick(Times), SourceKeyId = Pick(Strings), DestinationKeyId = Pick(Strings) } },
            18 => e with { RecipientAccountId = Pick(Strings), AwsRegion = Pick(Strings) },
            19 => e with { SourceIpAddress = Pick(["", "::1", "999.999.1.1", "10.0.0.1", "s3.amazonaws.com", "fe80::1%eth0", null]), UserAgent = Pick(Strings) },
            20 => other with { EventId = e.EventId }, // a different call under the same id
            _ => e with { Request = r with { EncryptionAlgorithm = Pick(["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256", "", null]), KeyMaterialId = Pick(Strings), DryRun = random.Next(2) == 0 } },
        };
    }

    /// <summary>Moves a time by some seconds, staying inside what DateTimeOffset can hold (the mutator must not throw itself).</summary>
    private static DateTimeOffset Shift(DateTimeOffset t, int seconds)
    {
        long ticks = Math.Clamp(t.UtcTicks + seconds * TimeSpan.TicksPerSecond, DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private Dictionary<string, string>? Map()
    {
        if (random.Next(4) == 0) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int n = random.Next(4);
        for (int i = 0; i < n; i++) map[Pick(Strings) ?? "k"] = Pick(Strings) ?? "";
        return map;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
