namespace Rigging.Proxy.Routing;

/// <summary>What a matched route does: forward to a cluster, redirect, or answer directly.</summary>
public abstract record RouteActionModel;
