namespace Rigging.Api.Model;

/// <summary>Every kind Rigging reads (placeholder until the model lands).</summary>
public static class KnownKinds
{
    public static IReadOnlyList<KindInfo> All { get; } = [];

    public static KindInfo? Find(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return All.FirstOrDefault(k => k.Kind == kind && k.Group == group && k.Versions.Contains(version));
    }
}
