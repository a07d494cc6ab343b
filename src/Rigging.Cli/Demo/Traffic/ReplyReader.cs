using System.Text.Json;

namespace Rigging.Cli.Demo.Traffic;

/// <summary>
/// Reads a bookinfo reply ({"service","version","calls":[{"service","version","status","ms","calls"}]}) into one
/// <see cref="Outcome"/> per downstream call, at any depth (productpage → reviews → ratings).
/// </summary>
internal static class ReplyReader
{
    public const string Unknown = "?";
    private const int MaxDepth = 8;
    private const int MaxCalls = 64;

    /// <summary>The version that answered at the top, or null when the body is not a bookinfo reply.</summary>
    public static string? Read(ReadOnlySpan<byte> json, List<Outcome> downstream)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            ReadCalls(root, downstream, 0);
            return Text(root, "version");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ReadCalls(JsonElement reply, List<Outcome> into, int depth)
    {
        if (depth >= MaxDepth || !reply.TryGetProperty("calls", out var calls) || calls.ValueKind != JsonValueKind.Array) return;
        var count = 0;
        foreach (var call in calls.EnumerateArray())
        {
            if (++count > MaxCalls || call.ValueKind != JsonValueKind.Object) break;
            var service = Text(call, "service") ?? Unknown;
            var status = call.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : 0;
            var ms = call.TryGetProperty("ms", out var m) && m.TryGetDouble(out var value) ? value : 0;
            var success = status is >= 200 and < 300;
            into.Add(new Outcome(service, success ? Text(call, "version") ?? Unknown : Unknown, success, ms));
            ReadCalls(call, into, depth + 1);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
