namespace Rigging.Api.Networking;

/// <summary>Headers to overwrite, append and delete.</summary>
public sealed record HeaderOperations
{
    public IReadOnlyDictionary<string, string>? Set { get; init; }

    public IReadOnlyDictionary<string, string>? Add { get; init; }

    public IReadOnlyList<string>? Remove { get; init; }
}
