using Rigging.Api.Model;

namespace Rigging.Api.Extensions;

/// <summary>Which traffic a plugin applies to: direction and ports.</summary>
public sealed record WasmPluginTrafficSelector
{
    public WorkloadMode? Mode { get; init; }

    public IReadOnlyList<PortSelector>? Ports { get; init; }
}
