namespace Rigging.Api.Networking;

/// <summary>Conditions an HTTP request must meet for a route to apply (all must hold).</summary>
public sealed record HttpMatchRequest
{
    public string? Name { get; init; }

    public StringMatch? Uri { get; init; }

    public StringMatch? Scheme { get; init; }

    public StringMatch? Method { get; init; }

    public StringMatch? Authority { get; init; }

    public IReadOnlyDictionary<string, StringMatch>? Headers { get; init; }

    public uint? Port { get; init; }

    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }

    public IReadOnlyList<string>? Gateways { get; init; }

    public IReadOnlyDictionary<string, StringMatch>? QueryParams { get; init; }

    public bool? IgnoreUriCase { get; init; }

    public IReadOnlyDictionary<string, StringMatch>? WithoutHeaders { get; init; }

    public string? SourceNamespace { get; init; }

    public string? StatPrefix { get; init; }
}
