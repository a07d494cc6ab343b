namespace Rigging.Api.Validation;

/// <summary>Rules for labels on resources and for the label selectors that pick workloads.</summary>
internal static class LabelRules
{
    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, FieldPath path, ValidationContext context)
    {
        if (labels is null) return;
        foreach (var (key, value) in labels)
        {
            if (!KubernetesNames.IsLabelKey(key))
                context.Invalid(path, key, "label key: " + KubernetesNames.LabelNameMessage);
            else if (!KubernetesNames.IsLabelValue(value ?? ""))
                context.Invalid(path.Key(key), value, "label value: " + KubernetesNames.LabelNameMessage);
        }
    }

    /// <summary>
    /// A workload selector's labels: keys must not be empty, and wildcards are not supported (Istio matches labels
    /// exactly). <paramref name="messages"/> picks the wording of the kind's schema (networking when not given).
    /// </summary>
    public static void ValidateSelector(IReadOnlyDictionary<string, string>? labels, FieldPath path, ValidationContext context,
        SelectorMessages? messages = null)
    {
        if (labels is null) return;
        messages ??= SelectorMessages.Networking;
        foreach (var (key, value) in labels)
        {
            if (key.Length == 0)
            {
                context.Invalid(path, key, messages.EmptyKey);
                continue;
            }
            if (key.Contains('*'))
            {
                context.Invalid(path.Key(key), key, messages.WildcardKey + "; labels are matched exactly");
                continue;
            }
            if ((value ?? "").Contains('*'))
            {
                context.Invalid(path.Key(key), value, messages.WildcardValue + "; labels are matched exactly");
                continue;
            }
            if (!KubernetesNames.IsLabelKey(key))
                context.Invalid(path.Key(key), key, "label key: " + KubernetesNames.LabelNameMessage);
            else if (!KubernetesNames.IsLabelValue(value ?? ""))
                context.Invalid(path.Key(key), value, "label value: " + KubernetesNames.LabelNameMessage);
        }
    }
}
