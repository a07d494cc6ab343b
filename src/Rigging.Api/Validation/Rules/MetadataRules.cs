using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Kubernetes' rules for names, namespaces and labels, which every resource must meet.</summary>
internal static class MetadataRules
{
    public static void Validate(Resource resource, ValidationContext context)
    {
        var meta = resource.Metadata;
        if (!string.IsNullOrEmpty(meta.Name) && !KubernetesNames.IsDns1123Subdomain(meta.Name))
            context.Invalid(FieldPath.Metadata.Child("name"), meta.Name, KubernetesNames.Dns1123SubdomainMessage);
        if (meta.Namespace is { } ns && !KubernetesNames.IsDns1123Label(ns))
            context.Invalid(FieldPath.Metadata.Child("namespace"), ns, KubernetesNames.Dns1123LabelMessage);
        LabelRules.ValidateLabels(meta.Labels, FieldPath.Metadata.Child("labels"), context);
    }
}
