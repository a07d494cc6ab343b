using System.Text.Json.Serialization;

namespace Rigging.ControlPlane.Security;

/// <summary>Source-generated JSON for the token claims and the token API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BootstrapTokens.Wire))]
[JsonSerializable(typeof(TokenEndpoint.CreateRequest))]
[JsonSerializable(typeof(TokenEndpoint.CreateResponse))]
internal sealed partial class WireContext : JsonSerializerContext;
