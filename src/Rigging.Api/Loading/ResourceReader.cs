using Rigging.Api.Diagnostics;
using Rigging.Api.Model;
using Rigging.Api.Validation;

namespace Rigging.Api.Loading;

/// <summary>Turns one YAML document into resources (a <c>v1 List</c> holds several).</summary>
internal sealed class ResourceReader(List<Resource> resources, List<Diagnostic> diagnostics)
{
    // Istio's schemas mark spec as required for these kinds (their validation rules need it).
    private static readonly HashSet<string> SpecRequired = new(StringComparer.Ordinal) { "ServiceEntry", "WorkloadEntry", "WorkloadGroup" };

    private static readonly HashSet<string> EnvelopeFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata", "spec", "status" };

    public void Read(YamlDocument document)
    {
        if (document.SyntaxError is not null)
        {
            var at = document.ErrorAt;
            diagnostics.Add(Diagnostic.ForFile(Severity.Error, at.File, at.Line, at.Column,
                $"YAML syntax error: {document.SyntaxError}; this document is skipped, the file's others are read"));
            return;
        }
        if (document.Root is null) return;
        ReadObject(document.Root);
    }

    private void ReadObject(Node root)
    {
        if (root is not MappingNode map)
        {
            FileError(root.Start, "a resource must be a mapping with apiVersion, kind, metadata and spec; found " + Describe(root));
            return;
        }
        var apiVersion = (map["apiVersion"] as ScalarNode)?.Value;
        var kind = (map["kind"] as ScalarNode)?.Value;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            FileError(root.Start, string.IsNullOrEmpty(apiVersion) ? "apiVersion: Required value: every resource names its apiVersion (for example networking.istio.io/v1)" : "kind: Required value: every resource names its kind (for example VirtualService)");
            return;
        }
        if (kind == "List" && apiVersion == "v1")
        {
            if (map["items"] is SequenceNode items)
            {
                foreach (var item in items.Items) ReadObject(item);
            }
            return;
        }

        var info = KnownKinds.Find(apiVersion, kind);
        if (info is null)
        {
            var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
            var sameKind = KnownKinds.All.FirstOrDefault(k => k.Kind == kind && k.Group == group);
            if (sameKind is not null)
            {
                var versions = string.Join(", ", sameKind.Versions);
                FileError(map.Start, $"apiVersion: Unsupported value: \"{apiVersion}\": {kind} is served at {group}/{{{versions}}}");
            }
            else
            {
                diagnostics.Add(Diagnostic.ForFile(Severity.Info, map.Start.File, map.Start.Line, map.Start.Column,
                    $"{apiVersion} {kind} is not a kind Rigging reads; skipped"));
            }
            return;
        }
        ReadResource(map, apiVersion, info);
    }

    private void ReadResource(MappingNode map, string apiVersion, KindInfo info)
    {
        var spans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var issues = new List<BindingIssue>();
        var binder = new SpecBinder(spans, issues);

        var metadata = map["metadata"] is { } metaNode
            ? binder.Bind(typeof(ObjectMeta), metaNode, FieldPath.Metadata, partial: true) as ObjectMeta
            : null;
        if (metadata?.Name is null or "")
        {
            issues.Add(new BindingIssue(Severity.Error, "metadata.name", map["metadata"]?.Start ?? map.Start,
                "metadata.name: Required value: name or generateName is required"));
        }

        object? spec = null;
        if (info.SpecType is not null)
        {
            var specNode = map["spec"];
            if (specNode is not null)
            {
                spec = binder.Bind(info.SpecType, specNode, FieldPath.Spec, RecordShape.Of(info.SpecType).IsPartial);
            }
            else if (SpecRequired.Contains(info.Kind))
            {
                issues.Add(new BindingIssue(Severity.Error, "spec", map.Start, "spec: Required value"));
            }
            else
            {
                spec = Activator.CreateInstance(info.SpecType);
            }
        }
        if (!RecordShape.Of(info.SpecType ?? typeof(object)).IsPartial && info.SpecType is not null)
        {
            foreach (var (key, _) in map.Entries)
            {
                if (EnvelopeFields.Contains(key.Value)) continue;
                issues.Add(new BindingIssue(Severity.Warning, key.Value, key.Start,
                    $"{key.Value}: unknown field \"{key.Value}\": a resource has only apiVersion, kind, metadata, spec and status; it is ignored"));
            }
        }

        var resource = new Resource
        {
            ApiVersion = apiVersion,
            Kind = info,
            Metadata = metadata ?? new ObjectMeta(),
            Spec = spec,
            Source = map.Start,
            FieldSpans = spans,
        };
        resources.Add(resource);
        foreach (var issue in issues)
        {
            diagnostics.Add(new Diagnostic(issue.Severity, issue.At.File, issue.At.Line, issue.At.Column,
                resource.DisplayName, issue.Field, issue.Message));
        }
    }

    private void FileError(SourceSpan at, string message) =>
        diagnostics.Add(Diagnostic.ForFile(Severity.Error, at.File, at.Line, at.Column, message));

    private static string Describe(Node node) => node switch
    {
        SequenceNode => "a list",
        ScalarNode s => $"the value \"{(s.Value.Length > 40 ? s.Value[..40] + "..." : s.Value)}\"",
        _ => "something else",
    };
}
