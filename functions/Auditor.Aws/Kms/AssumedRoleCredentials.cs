using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Auditor.Aws.Kms;

/// <summary>
/// Credentials of a role assumed with STS <c>AssumeRole</c> (session name <c>kms-trail-auditor</c>, so the auditor's
/// own calls are recognisable in the trails it audits), refreshed before they expire — an organization's inventory
/// can outlast one session under throttling. Written against the STS client directly rather than the SDK's generic
/// profile-driven assume-role support, which locates STS by reflection and is not trim-safe.
/// </summary>
public sealed class AssumedRoleCredentials(IAmazonSecurityTokenService sts, string roleArn) : RefreshingAWSCredentials
{
    /// <summary>The session name every assumed session carries.</summary>
    public const string SessionName = "kms-trail-auditor";

    public string RoleArn { get; } = roleArn;

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = RoleArn,
            RoleSessionName = SessionName,
            DurationSeconds = 3600,
        }).ConfigureAwait(false);
        var c = response.Credentials;
        return new CredentialsRefreshState(
            new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
            c.Expiration?.ToUniversalTime() ?? DateTime.UtcNow.AddMinutes(15));
    }
}
