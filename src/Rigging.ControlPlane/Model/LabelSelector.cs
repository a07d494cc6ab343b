namespace Rigging.ControlPlane.Model;

/// <summary>Kubernetes' equality selector: every key of the selector is a label with the same value.</summary>
public static class LabelSelector
{
    public static bool Matches(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> selector)
    {
        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        }
        return true;
    }
}
