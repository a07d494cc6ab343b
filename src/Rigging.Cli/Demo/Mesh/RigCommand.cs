namespace Rigging.Cli.Demo.Mesh;

/// <summary>How to start this same <c>rig</c> (and .NET apps) as child processes.</summary>
internal static class RigCommand
{
    /// <summary>The dotnet host running this process when there is one, else "dotnet" from PATH.</summary>
    public static string Dotnet { get; } =
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>The command line that runs rig with <paramref name="args"/>.</summary>
    public static List<string> Rig(params IEnumerable<string> args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "rig.dll");
        List<string> command = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) != "dotnet"
            ? [path]
            : [Dotnet, dll];
        command.AddRange(args);
        return command;
    }
}
