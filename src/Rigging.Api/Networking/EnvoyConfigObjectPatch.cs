namespace Rigging.Api.Networking;

/// <summary>One patch: what kind of object, which ones, and the change.</summary>
public sealed record EnvoyConfigObjectPatch
{
    public EnvoyFilterApplyTo? ApplyTo { get; init; }

    public EnvoyConfigObjectMatch? Match { get; init; }

    public EnvoyFilterPatch? Patch { get; init; }
}
