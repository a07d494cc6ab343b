using System.CommandLine;
using Rigging.Cli.Commands;

var root = new RootCommand("rig: the Rigging service mesh (control plane, proxy and tools)")
{
    ApplyCommand.Create(),
    ControlPlaneCommand.Create(),
    DeleteCommand.Create(),
    DemoCommand.Create(),
    ProxyCommand.Create(), RunCommand.Create(),
    TokenCommand.Create(),
    ValidateCommand.Create(),
    VersionCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
