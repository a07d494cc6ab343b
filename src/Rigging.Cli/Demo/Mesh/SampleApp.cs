using System.Diagnostics;

namespace Rigging.Cli.Demo.Mesh;

/// <summary>
/// The bookinfo sample app's build: ./rig builds it into .build/samples; when it is missing or older than its
/// sources (rig run from elsewhere, a fresh clone), the demo builds it there itself, quietly, into a log.
/// </summary>
internal static class SampleApp
{
    public const string Dll = "Rigging.Samples.Bookinfo.dll";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public static bool IsCurrent(DemoPaths paths)
    {
        var dll = new FileInfo(Path.Combine(paths.SampleBuild, Dll));
        if (!dll.Exists) return false;
        // The stamp (./rig's, or ours) marks the last build: an up-to-date build does not rewrite the dll.
        var stamp = new FileInfo(Path.Combine(paths.SampleBuild, ".stamp"));
        var built = stamp.Exists && stamp.LastWriteTimeUtc > dll.LastWriteTimeUtc ? stamp.LastWriteTimeUtc : dll.LastWriteTimeUtc;
        var sources = Directory.EnumerateFiles(paths.SampleApp, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Take(1000);
        return sources.All(f => File.GetLastWriteTimeUtc(f) <= built);
    }

    /// <summary>Builds the app when needed; returns the dll's path, or null after printing where the build log is.</summary>
    public static async Task<(string? Dll, string? Error)> EnsureBuiltAsync(DemoPaths paths, string logPath, CancellationToken cancel)
    {
        var dll = Path.Combine(paths.SampleBuild, Dll);
        if (IsCurrent(paths)) return (dll, null);
        var start = new ProcessStartInfo(RigCommand.Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "build", paths.SampleApp, "-c", "Release", "-o", paths.SampleBuild, "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet build");
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancel.IsCancellationRequested) throw;
            return (null, $"building the sample app took over {BuildTimeout.TotalMinutes:0} minutes");
        }
        await File.WriteAllTextAsync(logPath, await stdout + await stderr, CancellationToken.None);
        if (process.ExitCode != 0 || !File.Exists(dll))
        {
            return (null, $"could not build the sample app ({paths.SampleApp}); see {DemoPaths.Show(logPath)}");
        }
        await File.WriteAllTextAsync(Path.Combine(paths.SampleBuild, ".stamp"), "", CancellationToken.None);
        return (dll, null);
    }
}
