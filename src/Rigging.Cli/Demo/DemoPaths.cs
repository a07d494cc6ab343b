namespace Rigging.Cli.Demo;

/// <summary>Where the demo finds its samples and writes its working config and logs.</summary>
internal sealed record DemoPaths(string Repository, string WorkDirectory)
{
    public string Samples => Path.Combine(Repository, "samples", "bookinfo");

    public string SampleApp => Path.Combine(Samples, "app");

    public string SampleConfig => Path.Combine(Samples, "config");

    /// <summary>Where ./rig (or the demo) builds the sample app.</summary>
    public string SampleBuild => Path.Combine(Repository, ".build", "samples");

    public string Config => Path.Combine(WorkDirectory, "config");

    public string Logs => Path.Combine(WorkDirectory, "logs");

    /// <summary>The control plane's CA state (root certificate and keys), kept between runs.</summary>
    public string State => Path.Combine(WorkDirectory, "state");

    /// <summary>The mesh root the proxies trust (written by the control plane's CA).</summary>
    public string RootCertificate => Path.Combine(State, "root-cert.pem");

    /// <summary>The bootstrap tokens the demo asked for, one file per service account.</summary>
    public string Tokens => Path.Combine(WorkDirectory, "tokens");

    public string Log(string name) => Path.Combine(Logs, name + ".log");

    /// <summary>Finds the repository (the folder holding Rigging.sln and samples/) above the running rig.</summary>
    public static DemoPaths? Find(string? workDirectory)
    {
        string? repository = null;
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            var dir = new DirectoryInfo(start);
            for (var depth = 0; dir is not null && depth < 32 && repository is null; depth++, dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln")) && Directory.Exists(Path.Combine(dir.FullName, "samples", "bookinfo")))
                {
                    repository = dir.FullName;
                }
            }
            if (repository is not null) break;
        }
        if (repository is null) return null;
        var work = Path.GetFullPath(workDirectory ?? Path.Combine(repository, ".build", "demo"));
        return new DemoPaths(repository, work);
    }

    /// <summary>A path as the user should type it: relative to the current directory when inside it.</summary>
    public static string Show(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
