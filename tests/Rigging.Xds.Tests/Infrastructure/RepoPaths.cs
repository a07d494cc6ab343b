namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>Finds the repository (the folder holding Rigging.sln) from the test's bin folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    public static string NodeDir => Path.Combine(RepoRoot, "tests", "Rigging.Xds.Tests", "node");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Rigging.sln not found above {AppContext.BaseDirectory}");
    }
}
