using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled RouteMatch: the path rule, gRPC-only, then every header and query parameter matcher.</summary>
public sealed class RouteMatcher(PathMatch path, ImmutableArray<HeaderMatcherModel> headers, ImmutableArray<QueryMatcherModel> query)
{
    public PathMatch Path { get; } = path;

    /// <summary>RouteMatch.grpc: only requests whose content-type is application/grpc[+...].</summary>
    public bool GrpcOnly { get; init; }

    public bool Matches(HttpRequest request, ReadOnlySpan<char> path)
    {
        if (!Path.Matches(path)) return false;
        if (GrpcOnly && !IsGrpc(request)) return false;
        foreach (var header in headers)
        {
            if (!header.Matches(request)) return false;
        }
        if (query.Length > 0)
        {
            var parsed = request.Query;
            foreach (var parameter in query)
            {
                if (!parameter.Matches(parsed)) return false;
            }
        }
        return true;
    }

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
