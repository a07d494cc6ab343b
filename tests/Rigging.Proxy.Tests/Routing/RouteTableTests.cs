using System.Collections.Immutable;
using FluentAssertions;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Virtual host selection by authority, as Envoy's RouteMatcher::findVirtualHost does it (no sockets).</summary>
public sealed class RouteTableTests
{
    private static VirtualHostModel Host(string name, params string[] domains) => new(name, [.. domains], []);

    private static RouteTable Table(bool ignorePort = false) => new("r",
    [
        Host("exact", "api.example.com", "api.example.com:8080"),
        Host("suffix-short", "*.example.com"),
        Host("suffix-long", "*-bar.example.com"),
        Host("prefix", "api.*"),
        Host("port-wildcard", "reviews:*"),
        Host("default", "*"),
    ], ignorePort);

    [Theory]
    [InlineData("api.example.com", "exact")]
    [InlineData("API.Example.COM", "exact")]
    [InlineData("api.example.com:8080", "exact")]
    [InlineData("foo-bar.example.com", "suffix-long")]
    [InlineData("foo.example.com", "suffix-short")]
    [InlineData("api.other.org", "prefix")]
    [InlineData("reviews:9080", "port-wildcard")]
    [InlineData("nothing.org", "default")]
    public void Authority_selects_exact_then_longest_suffix_then_longest_prefix_then_default(string authority, string expected) =>
        Table().FindVirtualHost(authority)!.Name.Should().Be(expected);

    [Fact]
    public void A_wildcard_matches_at_least_one_character() =>
        Table().FindVirtualHost(".example.com")!.Name.Should().Be("default");

    [Fact]
    public void The_port_is_part_of_the_authority_unless_ignored()
    {
        // "api.example.com:9999" is no exact domain; the suffix wildcard does not match because of the port.
        Table().FindVirtualHost("api.example.com:9999")!.Name.Should().Be("prefix");
        Table().FindVirtualHost("foo.example.com:80")!.Name.Should().Be("default");
        Table(ignorePort: true).FindVirtualHost("foo.example.com:80")!.Name.Should().Be("suffix-short");
        Table(ignorePort: true).FindVirtualHost("api.example.com:9999")!.Name.Should().Be("exact");
    }

    [Fact]
    public void Without_a_default_an_unknown_authority_finds_nothing()
    {
        var table = new RouteTable("r", [Host("only", "a.example.com")]);
        table.FindVirtualHost("b.example.com").Should().BeNull();
        table.FindVirtualHost("a.example.com")!.Name.Should().Be("only");
    }

    [Fact]
    public void Ignoring_the_port_keeps_a_bracketed_ipv6_literal_whole()
    {
        var table = new RouteTable("r", [Host("v6", "[::1]"), Host("default", "*")], ignorePortInHostMatching: true);
        table.FindVirtualHost("[::1]:8080")!.Name.Should().Be("v6");
        table.FindVirtualHost("[::1]")!.Name.Should().Be("v6");
    }

    [Fact]
    public void Weighted_choice_picks_by_draw_over_the_total_weight()
    {
        var choice = new WeightedClusterChoice(ImmutableArray.Create(("a", 80u), ("b", 20u)));
        choice.Pick(0.0).Should().Be("a");
        choice.Pick(0.79).Should().Be("a");
        choice.Pick(0.80).Should().Be("b");
        choice.PickIndex(0.99).Should().Be(1);
    }
}
