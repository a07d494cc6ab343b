using System.Globalization;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>What a workload runs beside its proxy.</summary>
internal enum WorkloadApp
{
    /// <summary>The bookinfo sample app in the role named by the service.</summary>
    Bookinfo,

    /// <summary>Backends/backend.py answering 200.</summary>
    Ok,

    /// <summary>Backends/backend.py answering 500.</summary>
    Fail,

    /// <summary>Backends/backend.py answering 503 to every other request.</summary>
    Flaky,

    /// <summary>No app: a client-side <c>rig proxy</c> whose outbound port the tests use as their HTTP proxy.</summary>
    None,
}

/// <summary>One workload of the test mesh and its ports (app, inbound, outbound).</summary>
internal sealed record MeshWorkload(string Service, string Version, WorkloadApp App, int AppPort, int InboundPort, int OutboundPort)
{
    public string Name => $"{Service}-{Version}";

    public string NodeId => $"sidecar~127.0.0.1~{Name}.default~default.svc.cluster.local";

    /// <summary>One service account per service (its SPIFFE id under mTLS).</summary>
    public string ServiceAccount => Service;

    /// <summary>The rig command line: <c>rig run … -- app</c>, or <c>rig proxy</c> for a client without an app.</summary>
    /// <param name="xds">The xDS server: HOST:PORT, or https://HOST:PORT for the control plane's TLS port.</param>
    /// <param name="proxyOptions">More proxy options (e.g. the token and root files for the CA).</param>
    public List<string> Command(string xds, IEnumerable<string>? proxyOptions = null)
    {
        List<string> args =
        [
            App == WorkloadApp.None ? "proxy" : "run",
            "--workload", Name, "--namespace", "default", "--labels", $"app={Service},version={Version}",
            "--service-account", ServiceAccount, "--outbound-port", Str(OutboundPort),
            "--xds", xds, "--admin-port", "0", "--drain-duration", "0",
        ];
        args.AddRange(proxyOptions ?? []);
        if (App == WorkloadApp.None) return args;
        args.AddRange(["--app-port", Str(AppPort), "--inbound-port", Str(InboundPort), "--"]);
        if (App == WorkloadApp.Bookinfo)
        {
            args.AddRange(["dotnet", Paths.BookinfoApp, "--role", Service, "--version", Version, "--port", Str(AppPort)]);
        }
        else
        {
            var mode = App switch { WorkloadApp.Ok => "ok", WorkloadApp.Fail => "fail", _ => "flaky" };
            args.AddRange(["python3", "-u", Paths.Backend, "--port", Str(AppPort), "--name", Name, "--mode", mode]);
        }
        return args;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
