using System.Text.Json.Nodes;

namespace Rigging.Api.Networking;

/// <summary>The change to make: an operation and an Envoy config fragment.</summary>
public sealed record EnvoyFilterPatch
{
    public PatchOperation? Operation { get; init; }

    /// <summary>Envoy configuration as free-form JSON (google.protobuf.Struct).</summary>
    public JsonNode? Value { get; init; }

    public PatchFilterClass? FilterClass { get; init; }
}
