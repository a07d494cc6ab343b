using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Istio's rules for WorkloadEntry: an address (or a network reached through its gateway) and the shared
/// entry rules.</summary>
internal sealed class WorkloadEntryValidator : SpecValidator<WorkloadEntry>
{
    protected override void Validate(WorkloadEntry spec, Resource resource, ValidationContext context)
    {
        if (string.IsNullOrEmpty(spec.Address))
        {
            if (string.IsNullOrEmpty(spec.Network))
                context.Required(FieldPath.Spec.Child("address"), "Address is required: give the workload's IP address, host name or unix:// socket, or set network when it is reached through that network's gateway");
            else
                context.Warning(FieldPath.Spec.Child("address"), $"address is unset with network \"{spec.Network}\": the workload is only reachable through that network's gateway");
        }
        WorkloadEntryRules.Validate(spec, FieldPath.Spec, context);
    }
}
