using System.Text;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Admin;

/// <summary>What the proxy runs, as xDS JSON: per type, the accepted version and every resource.</summary>
internal static class ConfigDump
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(TypeRegistry.FromFiles(
            Listener.Descriptor.File, RouteConfiguration.Descriptor.File, Cluster.Descriptor.File, ClusterLoadAssignment.Descriptor.File,
            Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Descriptor.File,
            Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy.Descriptor.File,
            Envoy.Extensions.Filters.Http.Router.V3.Router.Descriptor.File,
            Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault.Descriptor.File,
            Envoy.Extensions.Filters.Http.Rbac.V3.RBAC.Descriptor.File,
            Envoy.Extensions.TransportSockets.Tls.V3.Secret.Descriptor.File)));

    public static string Render(ProxySnapshot snapshot)
    {
        var json = new StringBuilder("{\"configs\":[");
        var firstType = true;
        foreach (var typeUrl in snapshot.Resources.Types)
        {
            if (!firstType) json.Append(',');
            firstType = false;
            json.Append("{\"@type\":\"").Append(typeUrl).Append("\",\"version_info\":\"").Append(snapshot.Resources.Version(typeUrl)).Append("\",\"resources\":[");
            var first = true;
            foreach (var resource in snapshot.Resources.All(typeUrl))
            {
                if (!first) json.Append(',');
                first = false;
                json.Append(Formatter.Format(resource));
            }
            json.Append("]}");
        }
        return json.Append("]}").ToString();
    }
}
