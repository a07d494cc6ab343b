namespace Rigging.Api.Tests;

/// <summary>Finds the repository and the shared conformance data beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Conformance => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));

    public static string Istio(string relative) => Path.Combine(Conformance, "istio", relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Rigging.sln not found above " + AppContext.BaseDirectory);
    }
}
