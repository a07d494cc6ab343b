using Rigging.ControlPlane.Config.Secrets;

namespace Rigging.ControlPlane.Translation;

/// <summary>The gateway credentials of this push (read from the config store's secrets directory).</summary>
public sealed partial class PushContext
{
    /// <summary>credentialName → PEM; gateways get only the ones their servers name, as SDS Secrets.</summary>
    public CredentialSet Credentials { get; init; } = CredentialSet.Empty;
}
