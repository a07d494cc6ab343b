using System.Text.RegularExpressions;
using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for WorkloadGroup: a template (without the address, which registration fills in), the
/// metadata copied to entries, and a readiness probe with exactly one check.</summary>
internal sealed partial class WorkloadGroupValidator : SpecValidator<WorkloadGroup>
{
    private const string HeaderNamePattern = "^[-_A-Za-z0-9]+$";

    protected override void Validate(WorkloadGroup spec, Resource resource, ValidationContext context)
    {
        if (spec.Template is { } template) WorkloadEntryRules.Validate(template, FieldPath.Spec.Child("template"), context);
        else context.Required(FieldPath.Spec.Child("template"), "the WorkloadEntry template for the workloads that join this group (it may be {})");

        if (spec.Metadata is { } metadata)
        {
            var path = FieldPath.Spec.Child("metadata");
            LabelRules.ValidateLabels(metadata.Labels, path.Child("labels"), context);
            if (metadata.Labels is { Count: > 256 } labels) context.Error(path.Child("labels"), $"Too many: {labels.Count}: must have at most 256 items");
            if (metadata.Annotations is { Count: > 256 } annotations) context.Error(path.Child("annotations"), $"Too many: {annotations.Count}: must have at most 256 items");
        }
        if (spec.Probe is { } probe) ValidateProbe(probe, FieldPath.Spec.Child("probe"), context);
    }

    private static void ValidateProbe(ReadinessProbe probe, FieldPath path, ValidationContext context)
    {
        NotNegative(probe.InitialDelaySeconds, path.Child("initialDelaySeconds"), context);
        NotNegative(probe.TimeoutSeconds, path.Child("timeoutSeconds"), context);
        NotNegative(probe.PeriodSeconds, path.Child("periodSeconds"), context);
        NotNegative(probe.SuccessThreshold, path.Child("successThreshold"), context);
        NotNegative(probe.FailureThreshold, path.Child("failureThreshold"), context);

        var methods = (probe.HttpGet is null ? 0 : 1) + (probe.TcpSocket is null ? 0 : 1) + (probe.Exec is null ? 0 : 1) + (probe.Grpc is null ? 0 : 1);
        if (methods == 0)
            context.Required(path, "a probe needs one check: httpGet, tcpSocket, exec or grpc");
        else if (methods > 1)
            context.Rule(path, "only one of httpGet, tcpSocket, exec or grpc can be set");

        if (probe.HttpGet is { } http) ValidateHttpGet(http, path.Child("httpGet"), context);
        if (probe.TcpSocket is { } tcp) RequiredPort(tcp.Port, path.Child("tcpSocket").Child("port"), context);
        if (probe.Grpc is { } grpc) ValueRules.Port(grpc.Port, path.Child("grpc").Child("port"), context);
        if (probe.Exec is { } exec)
        {
            var commandPath = path.Child("exec").Child("command");
            if (exec.Command is not { Count: > 0 }) context.Required(commandPath, "the command to run; exit status 0 means ready");
            else ValueRules.NotEmpty(exec.Command, commandPath, context);
        }
    }

    private static void ValidateHttpGet(HttpHealthCheckConfig http, FieldPath path, ValidationContext context)
    {
        RequiredPort(http.Port, path.Child("port"), context);
        if (http.Scheme is { Length: > 0 } scheme && scheme is not ("HTTP" or "HTTPS"))
            context.Unsupported(path.Child("scheme"), scheme, ["HTTP", "HTTPS"]);
        for (var i = 0; http.HttpHeaders is { } headers && i < headers.Count; i++)
        {
            if (headers[i] is not { } header) continue;
            var namePath = path.Child("httpHeaders").Index(i).Child("name");
            if (string.IsNullOrEmpty(header.Name)) context.Required(namePath, "the header's name");
            else if (!HeaderName().IsMatch(header.Name))
                context.Schema(namePath, $"should match '{HeaderNamePattern}' (letters, digits, '-' and '_')");
        }
    }

    private static void RequiredPort(uint? port, FieldPath path, ValidationContext context)
    {
        if (port is null) context.Required(path, "the port to check");
        else ValueRules.Port(port, path, context);
    }

    private static void NotNegative(int? value, FieldPath path, ValidationContext context) => ValueRules.NotNegative(value, path, context);

    [GeneratedRegex(HeaderNamePattern)]
    private static partial Regex HeaderName();
}
