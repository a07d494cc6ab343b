namespace Rigging.Api.Validation;

/// <summary>The protocol names Istio accepts on ports (case-insensitive, as Istio parses them).</summary>
internal static class ProtocolRules
{
    public static readonly string[] Known =
        ["HTTP", "HTTPS", "GRPC", "GRPC-Web", "HTTP2", "HTTP_PROXY", "MONGO", "TCP", "TLS", "UDP", "Redis", "MySQL", "Thrift", "UNSUPPORTED"];

    private static readonly HashSet<string> Names = new(Known, StringComparer.OrdinalIgnoreCase);

    public static bool IsKnown(string protocol) => Names.Contains(protocol);

    public static bool IsTls(string protocol) =>
        protocol.Equals("HTTPS", StringComparison.OrdinalIgnoreCase) || protocol.Equals("TLS", StringComparison.OrdinalIgnoreCase);

    public static void Validate(string? protocol, FieldPath path, ValidationContext context, bool required)
    {
        if (string.IsNullOrEmpty(protocol))
        {
            if (required) context.Required(path);
            return;
        }
        if (!IsKnown(protocol)) context.Unsupported(path, protocol, Known);
    }
}
