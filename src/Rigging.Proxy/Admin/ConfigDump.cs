using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rigging.Proxy.Config;
using Rigging.Xds.Cache;

namespace Rigging.Proxy.Admin;

/// <summary>
/// What the proxy runs, as Envoy's /config_dump prints it (envoy.admin.v3.ConfigDump): configs[] of
/// ClustersConfigDump, EndpointsConfigDump, ListenersConfigDump, RoutesConfigDump and SecretsConfigDump, each
/// with its dynamic_* list and per-resource version_info and last_updated; resources in proto field names.
/// </summary>
internal static class ConfigDump
{
    private const string AdminPrefix = "type.googleapis.com/envoy.admin.v3.";

    // Every message the xDS assembly knows, so Any fields (filters, typed configs) print instead of failing.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true)
        .WithTypeRegistry(TypeRegistry.FromFiles(XdsFiles())));

    public static string Render(ProxySnapshot snapshot)
    {
        var resources = snapshot.Resources;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("configs");
            Section(json, resources, TypeUrls.Cluster, "ClustersConfigDump", "dynamic_active_clusters", "cluster", _ => null);
            Section(json, resources, TypeUrls.ClusterLoadAssignment, "EndpointsConfigDump", "dynamic_endpoint_configs", "endpoint_config", _ => null);
            Listeners(json, resources);
            Section(json, resources, TypeUrls.RouteConfiguration, "RoutesConfigDump", "dynamic_route_configs", "route_config", _ => null);
            Section(json, resources, TypeUrls.Secret, "SecretsConfigDump", "dynamic_active_secrets", "secret", m => ((Secret)m).Name);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Section(Utf8JsonWriter json, XdsResources resources, string typeUrl, string dumpType, string listName, string field, Func<IMessage, string?> name)
    {
        if (!resources.Types.Contains(typeUrl)) return;
        var version = resources.Version(typeUrl);
        json.WriteStartObject();
        json.WriteString("@type", AdminPrefix + dumpType);
        if (typeUrl == TypeUrls.Cluster || typeUrl == TypeUrls.Listener) json.WriteString("version_info", version);
        json.WriteStartArray(listName);
        foreach (var resource in resources.All(typeUrl))
        {
            json.WriteStartObject();
            if (name(resource) is { } n) json.WriteString("name", n);
            json.WriteString("version_info", version);
            WriteResource(json, field, typeUrl, resource);
            LastUpdated(json, resources, typeUrl);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Listeners nest their config under active_state, as Envoy's dynamic_listeners do.</summary>
    private static void Listeners(Utf8JsonWriter json, XdsResources resources)
    {
        if (!resources.Types.Contains(TypeUrls.Listener)) return;
        var version = resources.Version(TypeUrls.Listener);
        json.WriteStartObject();
        json.WriteString("@type", AdminPrefix + "ListenersConfigDump");
        json.WriteString("version_info", version);
        json.WriteStartArray("dynamic_listeners");
        foreach (var resource in resources.All(TypeUrls.Listener))
        {
            json.WriteStartObject();
            json.WriteString("name", ((Listener)resource).Name);
            json.WritePropertyName("active_state");
            json.WriteStartObject();
            json.WriteString("version_info", version);
            WriteResource(json, "listener", TypeUrls.Listener, resource);
            LastUpdated(json, resources, TypeUrls.Listener);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter json, string field, string typeUrl, IMessage resource)
    {
        // The resource as an Any: "@type" first, then its fields.
        var body = Formatter.Format(resource);
        var typed = body.Length > 2
            ? "{\"@type\":\"" + typeUrl + "\"," + body.AsSpan(1).ToString()
            : "{\"@type\":\"" + typeUrl + "\"}";
        json.WritePropertyName(field);
        json.WriteRawValue(typed);
    }

    private static void LastUpdated(Utf8JsonWriter json, XdsResources resources, string typeUrl)
    {
        if (resources.LastUpdated(typeUrl) is { } at)
            json.WriteString("last_updated", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    private static FileDescriptor[] XdsFiles()
    {
        var files = new List<FileDescriptor>();
        foreach (var type in typeof(Cluster).Assembly.GetTypes())
        {
            if (!type.Name.EndsWith("Reflection", StringComparison.Ordinal) || !type.IsAbstract || !type.IsSealed) continue;
            if (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is FileDescriptor file) files.Add(file);
        }
        // Keep the core types even if reflection over the assembly found none (trimmed builds).
        files.Add(Listener.Descriptor.File);
        files.Add(RouteConfiguration.Descriptor.File);
        files.Add(ClusterLoadAssignment.Descriptor.File);
        return [.. files.Distinct()];
    }
}
