namespace Rigging.Proxy.Security.Tls;

/// <summary>Why a peer certificate was or was not accepted (maps onto Envoy's ssl.* counters).</summary>
internal enum TlsVerifyOutcome
{
    Accepted,
    /// <summary>The peer sent no certificate where one is required (ssl.fail_verify_no_cert).</summary>
    NoCertificate,
    /// <summary>The chain does not end at a trusted root, or is expired or not yet valid (ssl.fail_verify_error).</summary>
    ChainInvalid,
    /// <summary>No SAN matched (ssl.fail_verify_san).</summary>
    SanMismatch,
    /// <summary>The trust bundle's secret has not arrived yet (ssl.fail_verify_error).</summary>
    TrustNotAvailable,
}
