namespace Rigging.ControlPlane.Security;

/// <summary>A workload identity as Istio spells it: <c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c>.</summary>
public sealed record SpiffeId(string TrustDomain, string Namespace, string ServiceAccount)
{
    public Uri ToUri() => new(ToString());

    public override string ToString() => $"spiffe://{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";
}
