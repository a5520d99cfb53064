using Amazon.Runtime;

namespace Auditor.Aws.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Inventory(string name) => Path.Combine(RepoRoot, "tests", "fixtures", "inventory", name);

    public static string KmsApi(string name) => Inventory(Path.Combine("kms-api", name));

    /// <summary>Fake long-term credentials: the loopback server does not verify signatures, only reads their scope.</summary>
    public static AWSCredentials FakeCredentials { get; } = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    /// <summary>
    /// The CLI resolves credentials through the SDK's default chain; give it fake ones through the environment and
    /// keep it away from any real profile, SSO cache or instance metadata on the machine running the tests.
    /// </summary>
    public static void UseFakeEnvironmentCredentials()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Path.GetTempPath(), "auditor-tests-no-aws-config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Path.GetTempPath(), "auditor-tests-no-aws-credentials"));
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Auditor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Auditor.sln not found above " + AppContext.BaseDirectory);
    }
}
