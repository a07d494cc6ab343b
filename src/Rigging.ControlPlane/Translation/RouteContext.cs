using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation;

/// <summary>What route translation needs to know: which proxy, which port's virtual host, which gateway ("mesh" for sidecars).</summary>
internal sealed record RouteContext(ProxyView Proxy, PushContext Push, int Port, string Gateway);
