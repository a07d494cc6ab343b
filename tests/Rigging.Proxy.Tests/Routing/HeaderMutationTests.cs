using Envoy.Config.Route.V3;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Tests.Infrastructure;
using static Envoy.Config.Core.V3.HeaderValueOption.Types;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Envoy's append_action semantics and header mutation order, on compiled mutations (no sockets).</summary>
public sealed class HeaderMutationTests
{
    private static IHeaderDictionary Headers(params (string, string)[] values)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in values) headers.Append(name, value);
        return headers;
    }

    [Fact]
    public void Each_append_action_meets_an_existing_header_as_envoy_does()
    {
        var mutation = new HeaderMutation(["x-gone"],
        [
            new("x-append", "2", HeaderMutation.AppendAction.AppendIfExistsOrAdd),
            new("x-absent-only", "new", HeaderMutation.AppendAction.AddIfAbsent),
            new("x-added", "new", HeaderMutation.AppendAction.AddIfAbsent),
            new("x-overwrite", "new", HeaderMutation.AppendAction.OverwriteIfExistsOrAdd),
            new("x-if-exists", "new", HeaderMutation.AppendAction.OverwriteIfExists),
            new("x-missing", "new", HeaderMutation.AppendAction.OverwriteIfExists),
        ]);
        var headers = Headers(("x-gone", "1"), ("x-append", "1"), ("x-absent-only", "old"), ("x-overwrite", "old"), ("x-if-exists", "old"));

        mutation.Apply(headers);

        headers.ContainsKey("x-gone").Should().BeFalse();
        headers["x-append"].ToArray().Should().Equal("1", "2");
        headers["x-absent-only"].ToString().Should().Be("old");
        headers["x-added"].ToString().Should().Be("new");
        headers["x-overwrite"].ToString().Should().Be("new");
        headers["x-if-exists"].ToString().Should().Be("new");
        headers.ContainsKey("x-missing").Should().BeFalse();
    }

    [Fact]
    public void Most_specific_header_mutations_wins_applies_the_route_last()
    {
        static RouteConfiguration Config(bool mostSpecificWins)
        {
            var route = EnvoyConfig.Prefix("/", "c");
            route.ResponseHeadersToAdd.Add(EnvoyConfig.Header("x-who", "route", HeaderAppendAction.OverwriteIfExistsOrAdd));
            var config = EnvoyConfig.RouteConfig("r", EnvoyConfig.Host("vh", ["*"], route));
            config.ResponseHeadersToAdd.Add(EnvoyConfig.Header("x-who", "config", HeaderAppendAction.OverwriteIfExistsOrAdd));
            config.MostSpecificHeaderMutationsWins = mostSpecificWins;
            return config;
        }
        static string Apply(RouteTable table)
        {
            var headers = Headers();
            var host = table.VirtualHosts[0];
            host.Routes[0].ResponseHeaders.Apply(headers);
            host.ResponseHeaders.Apply(headers);
            table.ResponseHeaders.Apply(headers);
            return headers["x-who"].ToString();
        }

        Apply(RouteCompiler.Compile(Config(mostSpecificWins: false))).Should().Be("config");
        Apply(RouteCompiler.Compile(Config(mostSpecificWins: true))).Should().Be("route");
    }

    [Fact]
    public void Empty_values_are_dropped_unless_keep_empty_value()
    {
        var route = EnvoyConfig.Prefix("/", "c");
        route.RequestHeadersToAdd.Add(EnvoyConfig.Header("x-empty", "", HeaderAppendAction.OverwriteIfExistsOrAdd));
        var kept = EnvoyConfig.Header("x-kept", "", HeaderAppendAction.OverwriteIfExistsOrAdd);
        kept.KeepEmptyValue = true;
        route.RequestHeadersToAdd.Add(kept);

        var compiled = RouteCompiler.Compile(EnvoyConfig.RouteConfig("r", EnvoyConfig.Host("vh", ["*"], route))).VirtualHosts[0].Routes[0];

        compiled.RequestHeaders.Additions.Select(a => a.Name).Should().Equal("x-kept");
    }
}
