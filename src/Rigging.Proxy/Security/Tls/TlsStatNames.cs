namespace Rigging.Proxy.Security.Tls;

/// <summary>Envoy's ssl.* counter names, kept per listener (<c>listener.NAME</c>) and per cluster (<c>cluster.NAME</c>).</summary>
internal static class TlsStatNames
{
    public const string Handshake = "ssl.handshake";
    public const string ConnectionError = "ssl.connection_error";
    public const string FailVerifySan = "ssl.fail_verify_san";
    public const string FailVerifyError = "ssl.fail_verify_error";
    public const string FailVerifyNoCert = "ssl.fail_verify_no_cert";
    /// <summary>A handshake that needed a certificate whose SDS secret has not arrived.</summary>
    public const string NoCertificate = "ssl.no_certificate";

    public static string ForOutcome(TlsVerifyOutcome outcome) => outcome switch
    {
        TlsVerifyOutcome.SanMismatch => FailVerifySan,
        TlsVerifyOutcome.NoCertificate => FailVerifyNoCert,
        _ => FailVerifyError,
    };
}
