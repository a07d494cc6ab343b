using System.Text;

namespace Rigging.ControlPlane.Security;

/// <summary>Files of the control plane's state directory; secrets are created with mode 0600 (owner only).</summary>
internal static class StateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteSecret(string path, ReadOnlySpan<byte> content)
    {
        // Written to a temporary name then moved, so a crash never leaves a half-written key behind.
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void WriteSecret(string path, string text) => WriteSecret(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Public material (certificates): readable by others, replaced atomically.</summary>
    public static void WritePublic(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
