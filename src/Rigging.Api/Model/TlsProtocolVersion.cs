namespace Rigging.Api.Model;

/// <summary>A TLS protocol version bound for a server.</summary>
public enum TlsProtocolVersion
{
    TLS_AUTO,
    TLSV1_0,
    TLSV1_1,
    TLSV1_2,
    TLSV1_3,
}
