namespace Rigging.Api.Networking;

/// <summary>The kind of Envoy object a patch applies to.</summary>
public enum EnvoyFilterApplyTo
{
    INVALID,
    LISTENER,
    FILTER_CHAIN,
    NETWORK_FILTER,
    HTTP_FILTER,
    ROUTE_CONFIGURATION,
    VIRTUAL_HOST,
    HTTP_ROUTE,
    CLUSTER,
    EXTENSION_CONFIG,
    BOOTSTRAP,
    LISTENER_FILTER,
}
