using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;

namespace Auditor.Benchmarks;

/// <summary>
/// A realistic key policy (the console default shape: root delegation, administrators, users, AWS-service
/// attachment through kms:ViaService, plus a TLS/algorithm Deny) with five statements and conditions, two
/// active grants that do not match, and a Decrypt by an assumed-role session of the users role.
/// </summary>
public sealed class EvaluatorScenario
{
    public const string KeyArn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    public const string PolicyJson = """
    {
      "Version": "2012-10-17",
      "Id": "key-consolepolicy-3",
      "Statement": [
        { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },
        { "Sid": "Allow access for Key Administrators", "Effect": "Allow",
          "Principal": { "AWS": ["arn:aws:iam::111122223333:role/KMSAdminRole", "arn:aws:iam::111122223333:user/KMSAdminUser"] },
          "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
                     "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                     "kms:CancelKeyDeletion"],
          "Resource": "*" },
        { "Sid": "Allow use of the key", "Effect": "Allow",
          "Principal": { "AWS": ["arn:aws:iam::111122223333:role/ops/AppRole", "arn:aws:iam::111122223333:user/Alice"] },
          "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          "Resource": "*",
          "Condition": { "StringEquals": { "kms:CallerAccount": "111122223333" },
                         "StringLike": { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::finance-*" } } },
        { "Sid": "Allow attachment of persistent resources", "Effect": "Allow",
          "Principal": { "AWS": "*" },
          "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          "Resource": "*",
          "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" },
                         "StringEquals": { "kms:CallerAccount": "111122223333", "kms:ViaService": ["ec2.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"] } } },
        { "Sid": "Deny insecure or legacy use", "Effect": "Deny",
          "Principal": "*", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*"], "Resource": "*",
          "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
      ]
    }
    """;

    public PolicyDocument Policy { get; } = PolicyDocument.Parse(PolicyJson);

    public IReadOnlyList<Grant> Grants { get; } =
    [
        new Grant { GrantId = "g-ebs", KeyId = KeyArn, GranteePrincipal = "arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-0abc", Operations = ["Decrypt"] },
        new Grant { GrantId = "g-lambda", KeyId = KeyArn, GranteePrincipal = "arn:aws:iam::111122223333:role/LambdaRole", Operations = ["Decrypt", "Encrypt"],
            Constraints = new GrantConstraints { EncryptionContextSubset = new Dictionary<string, string> { ["aws:lambda:FunctionArn"] = "arn:aws:lambda:us-west-2:111122223333:function:f" } } },
    ];

    public RequestContext Request { get; } = new()
    {
        Action = "kms:Decrypt",
        Resource = KeyArn,
        Caller = new CallerPrincipal
        {
            Arn = "arn:aws:sts::111122223333:assumed-role/AppRole/worker-1",
            RoleArn = "arn:aws:iam::111122223333:role/ops/AppRole",
            PrincipalId = "AROAEXAMPLEAPPROLE01:worker-1",
            AccountId = "111122223333",
            Type = "AssumedRole",
        },
        Values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = ["111122223333"],
            ["kms:EncryptionContext:aws:s3:arn"] = ["arn:aws:s3:::finance-reports"],
            ["kms:EncryptionContextKeys"] = ["aws:s3:arn"],
            ["kms:ViaService"] = ["s3.us-west-2.amazonaws.com"],
            ["aws:SecureTransport"] = ["true"],
            ["aws:PrincipalArn"] = ["arn:aws:iam::111122223333:role/ops/AppRole"],
        },
        EncryptionContext = new Dictionary<string, string> { ["aws:s3:arn"] = "arn:aws:s3:::finance-reports" },
    };

    public AuthorizationResult Evaluate() => AuthorizationEvaluator.Evaluate(Policy, Grants, null, Request);
}
