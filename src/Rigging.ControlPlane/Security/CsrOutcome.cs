namespace Rigging.ControlPlane.Security;

/// <summary>What became of a CSR.</summary>
public enum CsrOutcome
{
    Signed,

    /// <summary>Not a PEM PKCS#10 request, or one whose signature does not verify, or an unsupported key.</summary>
    Malformed,

    /// <summary>The CSR asks for a name (URI, DNS, IP) other than the identity the caller was granted.</summary>
    IdentityNotGranted,
}

/// <summary>The outcome of signing: the PEM chain (leaf, intermediates, root) or why not.</summary>
public sealed record CsrResult(CsrOutcome Outcome, IReadOnlyList<string> ChainPem, string? Error)
{
    public static CsrResult Refused(CsrOutcome outcome, string error) => new(outcome, [], error);
}
