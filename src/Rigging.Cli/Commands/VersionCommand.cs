using System.CommandLine;
using System.Reflection;

namespace Rigging.Cli.Commands;

/// <summary><c>rig version</c>: the CLI's version and the runtime it runs on.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Rigging's version");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine($"rig version {Version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }

    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
