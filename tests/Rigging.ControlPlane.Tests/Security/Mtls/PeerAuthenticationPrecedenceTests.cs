using FluentAssertions;
using Rigging.Api.Security;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>Istio's PeerAuthentication composition: workload over namespace over mesh, UNSET inherits, PERMISSIVE by default.</summary>
public sealed class PeerAuthenticationPrecedenceTests
{
    private static string Policy(string ns, string name, string? mode, string? selector = null, string? ports = null)
    {
        var spec = (selector is null ? "" : $"\n  selector: {{matchLabels: {{app: {selector}}}}}")
            + (mode is null ? "" : $"\n  mtls: {{mode: {mode}}}")
            + (ports is null ? "" : $"\n  portLevelMtls: {ports}");
        return $"""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {"{"}name: {name}, namespace: {ns}{"}"}
            spec:{(spec.Length == 0 ? " {}" : spec)}
            ---

            """;
    }

    private static MutualTlsMode ModeFor(string yaml, string ns, string app, int port = 9080, MeshSettings? mesh = null)
    {
        var push = MtlsMesh.Load(yaml.Length == 0 ? "apiVersion: v1\nkind: List\nitems: []\n" : yaml, mesh: mesh).Push;
        return push.PeerAuthenticationFor(ns, new Dictionary<string, string> { ["app"] = app }).ForPort(port);
    }

    [Fact]
    public void No_policy_is_permissive() => ModeFor("", "shop", "web").Should().Be(MutualTlsMode.PERMISSIVE);

    [Theory]
    // mesh, namespace, workload (selects app=web), expected for web / for another app in the same namespace
    [InlineData("STRICT", null, null, "STRICT", "STRICT")]
    [InlineData("STRICT", "DISABLE", null, "DISABLE", "DISABLE")]
    [InlineData("STRICT", "UNSET", null, "STRICT", "STRICT")]
    [InlineData("DISABLE", "PERMISSIVE", "STRICT", "STRICT", "PERMISSIVE")]
    [InlineData(null, "STRICT", "PERMISSIVE", "PERMISSIVE", "STRICT")]
    [InlineData(null, "STRICT", "UNSET", "STRICT", "STRICT")]
    [InlineData("STRICT", null, "DISABLE", "DISABLE", "STRICT")]
    [InlineData("PERMISSIVE", "UNSET", "UNSET", "PERMISSIVE", "PERMISSIVE")]
    public void Workload_beats_namespace_beats_mesh_and_UNSET_inherits(string? mesh, string? ns, string? workload, string expectedWeb, string expectedOther)
    {
        var yaml = (mesh is null ? "" : Policy("istio-system", "mesh", mesh))
            + (ns is null ? "" : Policy("shop", "ns", ns))
            + (workload is null ? "" : Policy("shop", "web", workload, selector: "web"));

        ModeFor(yaml, "shop", "web").Should().Be(Enum.Parse<MutualTlsMode>(expectedWeb));
        ModeFor(yaml, "shop", "other").Should().Be(Enum.Parse<MutualTlsMode>(expectedOther));
    }

    [Fact]
    public void Namespace_policy_applies_only_to_its_namespace()
    {
        var yaml = Policy("shop", "ns", "STRICT");

        ModeFor(yaml, "shop", "web").Should().Be(MutualTlsMode.STRICT);
        ModeFor(yaml, "billing", "web").Should().Be(MutualTlsMode.PERMISSIVE);
    }

    [Fact]
    public void Port_level_mode_applies_to_that_target_port_and_UNSET_port_inherits_the_workload()
    {
        var yaml = Policy("istio-system", "mesh", "PERMISSIVE")
            + Policy("shop", "web", "STRICT", selector: "web", ports: "{8080: {mode: DISABLE}, 9090: {mode: UNSET}}");

        ModeFor(yaml, "shop", "web", 8080).Should().Be(MutualTlsMode.DISABLE);
        ModeFor(yaml, "shop", "web", 9090).Should().Be(MutualTlsMode.STRICT);
        ModeFor(yaml, "shop", "web", 9080).Should().Be(MutualTlsMode.STRICT);
    }

    [Fact]
    public void Workload_policy_without_mtls_inherits_the_namespace_but_keeps_its_ports()
    {
        var yaml = Policy("shop", "ns", "STRICT") + Policy("shop", "web", null, selector: "web", ports: "{8080: {mode: PERMISSIVE}}");

        ModeFor(yaml, "shop", "web", 9080).Should().Be(MutualTlsMode.STRICT);
        ModeFor(yaml, "shop", "web", 8080).Should().Be(MutualTlsMode.PERMISSIVE);
    }

    [Fact]
    public void Mesh_policy_lives_in_the_configured_root_namespace()
    {
        var yaml = Policy("mesh-root", "mesh", "STRICT") + Policy("istio-system", "other", "DISABLE");
        var mesh = new MeshSettings { RootNamespace = "mesh-root" };

        ModeFor(yaml, "shop", "web", mesh: mesh).Should().Be(MutualTlsMode.STRICT);
        ModeFor(yaml, "istio-system", "web", mesh: mesh).Should().Be(MutualTlsMode.DISABLE);
        ModeFor(yaml, "shop", "web").Should().Be(MutualTlsMode.DISABLE, "with the default root, istio-system's policy is the mesh policy");
    }

    [Fact]
    public void Selector_policy_in_the_root_namespace_does_not_reach_other_namespaces()
    {
        var yaml = Policy("istio-system", "web-strict", "STRICT", selector: "web");

        ModeFor(yaml, "shop", "web").Should().Be(MutualTlsMode.PERMISSIVE);
        ModeFor(yaml, "istio-system", "web").Should().Be(MutualTlsMode.STRICT);
    }
}
