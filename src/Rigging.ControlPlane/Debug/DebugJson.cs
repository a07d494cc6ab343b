using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Debug;

/// <summary>JSON for the debug pages: camelCase objects, and xDS messages in protobuf's JSON form (Any unpacked).</summary>
internal static class DebugJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Every proto file of Rigging.Xds, so typed_config Any fields print as their messages.</summary>
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(
        typeof(Snapshot).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .ToArray())));

    public static string Format(IMessage message) => Formatter.Format(message);
}
