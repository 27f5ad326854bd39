namespace RnnNative.Tests;

/// <summary>Files of the repository itself (build.sh, samples/data), found above the test output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RnnNative.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (RnnNative.sln) was not found above the test folder.");
    }
}
