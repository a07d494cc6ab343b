using System.CommandLine;

namespace Rigging.Cli.Commands;

/// <summary><c>rig demo</c>: runs the demo mesh on this machine.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run the demo mesh (control plane, proxies and a bookinfo-like app) on this machine");
        command.SetAction(_ =>
        {
            // The mesh needs the control plane and the proxy; until they land the demo validates its configuration.
            Console.Out.WriteLine("The demo mesh needs the control plane and proxy, which are not built yet.");
            Console.Out.WriteLine("Meanwhile, try: ./rig validate -f ../shared/conformance/istio/samples");
            return 0;
        });
        return command;
    }
}
