using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Spec of a ProxyConfig: per-workload proxy settings.</summary>
public sealed record ProxyConfig
{
    public WorkloadSelector? Selector { get; init; }

    public int? Concurrency { get; init; }

    public IReadOnlyDictionary<string, string>? EnvironmentVariables { get; init; }

    public ProxyImage? Image { get; init; }
}
