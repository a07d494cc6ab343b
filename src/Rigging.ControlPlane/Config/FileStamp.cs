namespace Rigging.ControlPlane.Config;

/// <summary>
/// A file's size and modification time, so a rescan of a large directory reads only files that may have changed.
/// File times are coarse (a few milliseconds) and a write can land in the same tick as the last read, so, as git
/// does with its index, a stamp is trusted only when the modification time is well before the previous scan began;
/// files touched near it are read and hashed again.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    public static FileStamp None => default;

    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return new FileStamp(info.Length, info.LastWriteTimeUtc);
    }

    /// <summary>True when the file can be skipped: same size and time as last read, and that time is not racy.</summary>
    public bool Unchanged(FileStamp previous, DateTimeOffset previousScanStart) =>
        previous != None && previous == this && previousScanStart.UtcDateTime > DateTime.MinValue + RacyWindow
        && LastWriteUtc < previousScanStart.UtcDateTime - RacyWindow;
}
