namespace Rigging.Proxy.Routing;

/// <summary>Answer without an upstream: a status and an optional body.</summary>
public sealed record DirectResponseModel(int Status, byte[]? Body) : RouteActionModel;
