namespace Rigging.ControlPlane.Tests.Host;

/// <summary>Temporary directories for config stores, removed after each test.</summary>
internal static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "rigging-cp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
