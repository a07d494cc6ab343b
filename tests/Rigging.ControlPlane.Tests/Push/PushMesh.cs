namespace Rigging.ControlPlane.Tests.Push;

/// <summary>A varied mesh for push tests: selectors, subsets, source labels, exportTo, a Sidecar, a Gateway, a ServiceEntry.</summary>
internal static class PushMesh
{
    public const string Config = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: shop}
        spec:
          selector: {app: ratings}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec:
          selector: {app: db}
          ports: [{name: tcp-pg, port: 5432}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: frontend, namespace: web}
        spec:
          selector: {app: frontend}
          ports: [{name: http, port: 8080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: shop}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings-for-frontend, namespace: web}
        spec:
          host: ratings.shop.svc.cluster.local
          workloadSelector: {matchLabels: {app: frontend}}
          trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: shop}
        spec:
          hosts: [reviews]
          http:
          - match: [{sourceLabels: {app: frontend}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route:
            - {destination: {host: reviews, subset: v1}, weight: 80}
            - {destination: {host: reviews, subset: v3}, weight: 20}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings, namespace: shop}
        spec:
          hosts: [ratings]
          exportTo: ["."]
          http:
          - route: [{destination: {host: ratings}}]
            timeout: 3s
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: canary, namespace: web}
        spec:
          workloadSelector: {labels: {app: frontend, version: canary}}
          egress: [{hosts: ["./*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: ingress, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: frontend-ingress, namespace: web}
        spec:
          hosts: ["*"]
          gateways: [istio-system/ingress]
          http: [{route: [{destination: {host: frontend.web.svc.cluster.local, port: {number: 8080}}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: httpbin, namespace: web}
        spec:
          hosts: [httpbin.org]
          ports: [{number: 80, name: http, protocol: HTTP}]
          resolution: DNS
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: reviews-v3-vm, namespace: shop}
        spec:
          address: 10.9.0.3
          labels: {app: reviews, version: v3}
          serviceAccount: reviews
        """;

    public static string WorkloadEntry(string name, string address, string version, string serviceAccount) => $$"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: {{name}}, namespace: shop}
        spec:
          address: {{address}}
          labels: {app: reviews, version: {{version}}}
          serviceAccount: {{serviceAccount}}
        """;

    private static readonly Dictionary<string, string> ReviewsV1 = new() { ["app"] = "reviews", ["version"] = "v1" };

    /// <summary>Proxies that vary in every field a view has; several come in pairs that differ only per replica.</summary>
    public static IEnumerable<Envoy.Config.Core.V3.Node> Nodes()
    {
        yield return PushHarness.Node("reviews-v1-a", "shop", ReviewsV1, "reviews", "10.1.0.1", 15006, 9080);
        yield return PushHarness.Node("reviews-v1-b", "shop", ReviewsV1, "reviews", "10.1.0.2", 15006, 9080);
        yield return PushHarness.Node("reviews-v1-other-sa", "shop", ReviewsV1, "legacy", "10.1.0.3", 15006, 9080);
        yield return PushHarness.Node("reviews-v1-outbound-15002", "shop", ReviewsV1, "reviews", "10.1.0.4", 15006, 9080, outbound: 15002);
        yield return PushHarness.Node("reviews-v1-no-inbound", "shop", ReviewsV1, "reviews", "10.1.0.5");
        yield return PushHarness.Node("reviews-v2-a", "shop", new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v2" }, "reviews", "10.1.1.1", 15006, 9080);
        yield return PushHarness.Node("db-a", "shop", new Dictionary<string, string> { ["app"] = "db" }, "db", "10.1.2.1", 15006, 5432);
        yield return PushHarness.Node("frontend-a", "web", new Dictionary<string, string> { ["app"] = "frontend", ["version"] = "stable" }, "frontend", "10.2.0.1", 15006, 8080);
        yield return PushHarness.Node("frontend-b", "web", new Dictionary<string, string> { ["app"] = "frontend", ["version"] = "stable" }, "frontend", "10.2.0.2", 15006, 8080);
        yield return PushHarness.Node("frontend-canary", "web", new Dictionary<string, string> { ["app"] = "frontend", ["version"] = "canary" }, "frontend", "10.2.0.3", 15006, 8080);
        yield return PushHarness.Node("ingress-a", "istio-system", new Dictionary<string, string> { ["istio"] = "ingressgateway" }, "ingress", "10.3.0.1");
        yield return PushHarness.Node("ingress-b", "istio-system", new Dictionary<string, string> { ["istio"] = "ingressgateway" }, "ingress", "10.3.0.2");
        yield return PushHarness.Node("grpc-a", "web", new Dictionary<string, string> { ["app"] = "client" }, "client", "10.4.0.1", generator: "grpc");
        yield return PushHarness.Node("grpc-b", "web", new Dictionary<string, string> { ["app"] = "client" }, "client", "10.4.0.2", generator: "grpc");
    }
}
