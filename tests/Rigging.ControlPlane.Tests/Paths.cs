namespace Rigging.ControlPlane.Tests;

/// <summary>Finds the repository and Istio's conformance data beside it.</summary>
internal static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string Istio(string relative) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance", "istio", relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Rigging.sln not found");
    }
}
