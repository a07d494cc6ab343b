namespace Rigging.ControlPlane.Translation;

/// <summary>Envoy's well-known filter names.</summary>
internal static class FilterNames
{
    public const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";
    public const string TcpProxy = "envoy.filters.network.tcp_proxy";
    public const string Router = "envoy.filters.http.router";
    public const string Fault = "envoy.filters.http.fault";
    public const string Cors = "envoy.filters.http.cors";
}
