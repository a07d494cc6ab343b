using System.Globalization;
using System.Text;

namespace Rigging.ControlPlane.Bench;

/// <summary>
/// The bench's config directory: Services with a DestinationRule (subsets v1/v2) in one file each, and a
/// VirtualService per service in its own file (the file an edit rewrites); optionally a Sidecar per namespace that
/// narrows egress to the namespace itself and ns-0 (where the edited services live).
/// </summary>
internal sealed record BenchMesh(int Services, int Namespaces, bool SidecarScope)
{
    public const int Port = 9080;

    public static string Namespace(int ns) => "ns-" + ns.ToString(CultureInfo.InvariantCulture);

    public string NamespaceOf(int service) => Namespace(service % Namespaces);

    public static string Name(int service) => "svc-" + service.ToString(CultureInfo.InvariantCulture);

    public string Host(int service) => $"{Name(service)}.{NamespaceOf(service)}.svc.cluster.local";

    /// <summary>The service edit number e rewrites: the e-th service of ns-0, so every scope sees it.</summary>
    public int Edited(int edit) => edit * Namespaces % Services;

    public string VirtualHost(int service) => $"{Host(service)}:{Port}";

    public string SubsetCluster(int service, string subset) => $"outbound|{Port}|{subset}|{Host(service)}";

    public string Cluster(int service) => $"outbound|{Port}||{Host(service)}";

    public void Write(string directory)
    {
        for (var i = 0; i < Services; i++)
        {
            File.WriteAllText(Path.Combine(directory, Name(i) + ".yaml"), ServiceAndRule(i));
            File.WriteAllText(VirtualServicePath(directory, i), VirtualService(i, 90));
        }
        if (!SidecarScope) return;
        for (var ns = 0; ns < Namespaces; ns++)
        {
            File.WriteAllText(Path.Combine(directory, $"sidecar-{Namespace(ns)}.yaml"), $"""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {"{"}name: default, namespace: {Namespace(ns)}{"}"}
                spec:
                  egress: [{"{"}hosts: ["./*", "ns-0/*"]{"}"}]
                """);
        }
    }

    public static string VirtualServicePath(string directory, int service) => Path.Combine(directory, "vs-" + Name(service) + ".yaml");

    public string VirtualService(int service, int v1Weight) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: {{Name(service)}}, namespace: {{NamespaceOf(service)}}}
        spec:
          hosts: [{{Name(service)}}]
          http:
          - route:
            - {destination: {host: {{Name(service)}}, subset: v1}, weight: {{v1Weight}}}
            - {destination: {host: {{Name(service)}}, subset: v2}, weight: {{100 - v1Weight}}}
        """;

    public string WorkloadEntry(int service, string name, string address) => $$"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: {{name}}, namespace: {{NamespaceOf(service)}}}
        spec:
          address: {{address}}
          labels: {app: {{Name(service)}}, version: v1}
          serviceAccount: {{Name(service)}}
        """;

    private string ServiceAndRule(int service)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$$"""
            apiVersion: v1
            kind: Service
            metadata: {name: {{{Name(service)}}}, namespace: {{{NamespaceOf(service)}}}}
            spec:
              selector: {app: {{{Name(service)}}}}
              ports: [{name: http, port: {{{Port}}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: {{{Name(service)}}}, namespace: {{{NamespaceOf(service)}}}}
            spec:
              host: {{{Name(service)}}}
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """);
        return sb.ToString();
    }
}
