namespace Rigging.ControlPlane.Security;

/// <summary>What a bootstrap token grants: certificates for one namespace/service account until it expires.</summary>
public sealed record BootstrapToken(string Id, string Namespace, string ServiceAccount, DateTimeOffset Expires);

/// <summary>The verdict on a presented token.</summary>
public enum TokenCheck
{
    Valid,
    Missing,
    Malformed,

    /// <summary>Not signed by this control plane's token key (forged, or issued before the key was rotated).</summary>
    BadSignature,
    Expired,
}
