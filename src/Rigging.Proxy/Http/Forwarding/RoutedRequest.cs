using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>Where routing put a request: the table, virtual host and route (for their header changes) and the action.</summary>
public readonly record struct RoutedRequest(RouteTable Table, VirtualHostModel Host, RouteModel Route, ForwardAction Action);
