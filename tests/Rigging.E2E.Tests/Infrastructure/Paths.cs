namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>Where the programs under test are: rig and the bookinfo app are built beside the tests.</summary>
internal static class Paths
{
    public static string Rig { get; } = Beside("rig.dll");

    public static string BookinfoApp { get; } = Beside("Rigging.Samples.Bookinfo.dll");

    public static string Backend { get; } = Beside(Path.Combine("Backends", "backend.py"));

    public static string Repository { get; } = FindRepository();

    /// <summary>Istio's bookinfo samples as copied into samples/bookinfo/config.</summary>
    public static string BookinfoConfig(string file) => Path.Combine(Repository, "samples", "bookinfo", "config", file);

    /// <summary>The tests' own config files (Config/ beside the tests).</summary>
    public static string TestConfig(string file) => Beside(Path.Combine("Config", file));

    private static string Beside(string file) => Path.Combine(AppContext.BaseDirectory, file);

    private static string FindRepository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; dir is not null && depth < 32; depth++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Rigging.sln not found above " + AppContext.BaseDirectory);
    }
}
