using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security;

/// <summary>
/// Who is at the other end of a downstream connection, known after a mutual TLS handshake: the peer's SPIFFE id
/// (its URI SAN, Envoy's "principal"). Set once per connection as a feature; filters read it per request through
/// <c>HttpContext.Features.Get&lt;PeerIdentity&gt;()</c>. Absent on plaintext connections.
/// </summary>
public sealed record PeerIdentity(string? Principal, X509Certificate2? Certificate);
