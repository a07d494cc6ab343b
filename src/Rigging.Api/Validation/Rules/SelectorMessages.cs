namespace Rigging.Api.Validation;

/// <summary>
/// The words a selector's schema uses for its problems. Istio has two selector types with different texts, and users
/// search for the text the API server gave them, so each kind names the one its CRD uses.
/// </summary>
internal sealed record SelectorMessages(string EmptyKey, string WildcardKey, string WildcardValue)
{
    /// <summary>istio.type.v1beta1.WorkloadSelector (<c>matchLabels</c>): security, telemetry, extensions, ProxyConfig.</summary>
    public static SelectorMessages Policy { get; } = new(
        "key must not be empty",
        "wildcard not allowed in label key match",
        "wildcard not allowed in label value match");

    /// <summary>istio.networking.v1alpha3.WorkloadSelector (<c>labels</c>): Sidecar, ServiceEntry, EnvoyFilter.</summary>
    public static SelectorMessages Networking { get; } = new(
        "empty key is not supported in selector",
        "wildcard is not supported in selector",
        "wildcard is not supported in selector");
}
