using System.Text.Json;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Debug;

/// <summary>/debug/config_dump?proxy=ID: the snapshot the control plane holds for a proxy, by type, with versions.</summary>
internal static class ConfigDump
{
    public static void Write(Utf8JsonWriter writer, string nodeId, Snapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteString("proxy", nodeId);
        writer.WriteStartArray("types");
        foreach (var typeUrl in TypeUrls.ResponseOrder)
        {
            var set = snapshot.Get(typeUrl);
            if (set.Resources.Count == 0) continue;
            writer.WriteStartObject();
            writer.WriteString("type", TypeUrls.ShortName(typeUrl));
            writer.WriteString("version", set.Version);
            writer.WriteStartArray("resources");
            foreach (var resource in set.Resources.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                writer.WriteRawValue(DebugJson.Format(resource.Message), skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
