namespace Rigging.Api.Extensions;

/// <summary>Settings of the Wasm VM that runs the plugin.</summary>
public sealed record VmConfig
{
    public IReadOnlyList<EnvVar>? Env { get; init; }
}
