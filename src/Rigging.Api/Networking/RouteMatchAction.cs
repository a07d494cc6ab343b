namespace Rigging.Api.Networking;

/// <summary>The kind of route action to match.</summary>
public enum RouteMatchAction
{
    ANY,
    ROUTE,
    REDIRECT,
    DIRECT_RESPONSE,
}
