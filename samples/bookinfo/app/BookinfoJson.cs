using System.Text.Json.Serialization;

namespace Rigging.Samples.Bookinfo;

/// <summary>Source-generated JSON for the replies (camelCase, as the demo's traffic generator reads them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Reply))]
public sealed partial class BookinfoJson : JsonSerializerContext;
