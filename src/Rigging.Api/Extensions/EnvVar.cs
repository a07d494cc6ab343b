namespace Rigging.Api.Extensions;

/// <summary>An environment variable for the Wasm VM.</summary>
public sealed record EnvVar
{
    public string? Name { get; init; }

    public EnvValueSource? ValueFrom { get; init; }

    public string? Value { get; init; }
}
