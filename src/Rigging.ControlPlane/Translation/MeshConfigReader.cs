using System.Globalization;
using Rigging.ControlPlane.Translation.Security.Authorization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// Reads the parts of an Istio MeshConfig document (the <c>mesh</c> key of the istio ConfigMap, as YAML) that
/// translation uses: rootNamespace, outboundTrafficPolicy.mode and extensionProviders (envoyExtAuthzHttp). Other
/// fields are ignored; each problem is reported with its path and that part left at its baseline (a bad provider is
/// left out, so it does not lose the others).
/// </summary>
public static class MeshConfigReader
{
    public static MeshSettings Read(string yaml, MeshSettings baseline, ICollection<string> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add($"mesh config: {e.Message}");
            return baseline;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return baseline;
        var settings = baseline;
        if (Scalar(root, "rootNamespace") is { Length: > 0 } rootNamespace) settings = settings with { RootNamespace = rootNamespace };
        if (Child(root, "outboundTrafficPolicy") is YamlMappingNode outbound && Scalar(outbound, "mode") is { } mode)
        {
            switch (mode)
            {
                case "ALLOW_ANY": settings = settings with { AllowAny = true }; break;
                case "REGISTRY_ONLY": settings = settings with { AllowAny = false }; break;
                case "ALLOW_ANY_DYNAMIC_DNS":
                    errors.Add("outboundTrafficPolicy.mode: ALLOW_ANY_DYNAMIC_DNS is not supported (ALLOW_ANY already resolves the names apps ask for through HTTP_PROXY)");
                    break;
                default:
                    errors.Add($"outboundTrafficPolicy.mode: Unsupported value: \"{mode}\": supported values: \"ALLOW_ANY\", \"REGISTRY_ONLY\"");
                    break;
            }
        }
        if (Child(root, "extensionProviders") is YamlSequenceNode providers)
        {
            var read = new List<ExtensionProvider>();
            for (var i = 0; i < providers.Children.Count; i++)
            {
                if (Provider(providers.Children[i], $"extensionProviders[{i}]", errors) is { } provider)
                {
                    if (read.Any(p => p.Name == provider.Name)) errors.Add($"extensionProviders[{i}].name: extension provider name must be unique, found duplicate: {provider.Name}");
                    else read.Add(provider);
                }
            }
            settings = settings with { ExtensionProviders = read };
        }
        return settings;
    }

    private static ExtensionProvider? Provider(YamlNode node, string where, ICollection<string> errors)
    {
        if (node is not YamlMappingNode map || Scalar(map, "name") is not { Length: > 0 } name)
        {
            errors.Add($"{where}.name: extension provider name must not be empty");
            return null;
        }
        if (Child(map, "envoyExtAuthzHttp") is not YamlMappingNode http) return new ExtensionProvider { Name = name };
        var at = $"{where}.envoyExtAuthzHttp";
        var service = Scalar(http, "service");
        if (string.IsNullOrEmpty(service))
        {
            errors.Add($"{at}.service: Required value");
            return null;
        }
        if (!int.TryParse(Scalar(http, "port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            errors.Add($"{at}.port: must be in the range [1, 65535], found: {Scalar(http, "port")}");
            return null;
        }
        TimeSpan? timeout = null;
        if (Scalar(http, "timeout") is { } text)
        {
            if (!Rigging.Api.Model.Duration.TryParse(text, out var duration))
            {
                errors.Add($"{at}.timeout: invalid duration \"{text}\"");
                return null;
            }
            timeout = duration.Value;
        }
        return new ExtensionProvider
        {
            Name = name,
            EnvoyExtAuthzHttp = new EnvoyExtAuthzHttpProvider
            {
                Service = service,
                Port = port,
                Timeout = timeout,
                PathPrefix = Scalar(http, "pathPrefix") ?? "",
                FailOpen = string.Equals(Scalar(http, "failOpen"), "true", StringComparison.OrdinalIgnoreCase),
                StatusOnError = Scalar(http, "statusOnError") ?? "",
                IncludeRequestHeadersInCheck = List(http, "includeRequestHeadersInCheck"),
                IncludeAdditionalHeadersInCheck = Child(http, "includeAdditionalHeadersInCheck") is YamlMappingNode extra
                    ? extra.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => (c.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
                    : new Dictionary<string, string>(),
                HeadersToUpstreamOnAllow = List(http, "headersToUpstreamOnAllow"),
                HeadersToDownstreamOnDeny = List(http, "headersToDownstreamOnDeny"),
                HeadersToDownstreamOnAllow = List(http, "headersToDownstreamOnAllow"),
            },
        };
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    private static List<string> List(YamlMappingNode map, string key) =>
        Child(map, key) is YamlSequenceNode list ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")] : [];
}
