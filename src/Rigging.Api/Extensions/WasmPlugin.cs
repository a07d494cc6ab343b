using Rigging.Api.Model;
using System.Text.Json.Nodes;

namespace Rigging.Api.Extensions;

/// <summary>Spec of a WasmPlugin: a WebAssembly extension loaded into proxies.</summary>
public sealed record WasmPlugin
{
    public WorkloadSelector? Selector { get; init; }

    public PolicyTargetReference? TargetRef { get; init; }

    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    public string? Url { get; init; }

    public string? Sha256 { get; init; }

    public PullPolicy? ImagePullPolicy { get; init; }

    public string? ImagePullSecret { get; init; }

    public string? VerificationKey { get; init; }

    /// <summary>Free-form configuration handed to the plugin (google.protobuf.Struct).</summary>
    public JsonNode? PluginConfig { get; init; }

    public string? PluginName { get; init; }

    public PluginPhase? Phase { get; init; }

    public int? Priority { get; init; }

    public FailStrategy? FailStrategy { get; init; }

    public VmConfig? VmConfig { get; init; }

    public IReadOnlyList<WasmPluginTrafficSelector>? Match { get; init; }

    public PluginType? Type { get; init; }
}
