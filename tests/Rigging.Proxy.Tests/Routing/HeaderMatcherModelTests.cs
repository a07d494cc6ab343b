using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Tests.Routing;

/// <summary>Envoy's HeaderMatcher rules on a compiled matcher (no sockets).</summary>
public sealed class HeaderMatcherModelTests
{
    private static HttpRequest Request(string method = "GET", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("shop.example.com:8080");
        context.Request.Path = "/cart";
        context.Request.QueryString = new QueryString("?id=7");
        foreach (var (name, value) in headers) context.Request.Headers.Append(name, value);
        return context.Request;
    }

    [Fact]
    public void Inverted_match_is_true_for_a_different_value_and_false_for_an_absent_header()
    {
        var matcher = new HeaderMatcherModel("x-user", StringMatcherModel.Exact("jason"), null, null, invert: true, missingAsEmpty: false);
        matcher.Matches(Request(headers: ("x-user", "bob"))).Should().BeTrue();
        matcher.Matches(Request(headers: ("x-user", "jason"))).Should().BeFalse();
        matcher.Matches(Request()).Should().BeFalse("an absent header never matches, inverted or not");
    }

    [Fact]
    public void Missing_header_treated_as_empty_can_match_when_inverted()
    {
        // Envoy's documented example: range [0, 10), inverted, missing treated as empty: "" is no number, so it matches.
        var matcher = new HeaderMatcherModel("x-n", null, null, (0, 10), invert: true, missingAsEmpty: true);
        matcher.Matches(Request()).Should().BeTrue();
        matcher.Matches(Request(headers: ("x-n", "5"))).Should().BeFalse();
        matcher.Matches(Request(headers: ("x-n", "10"))).Should().BeTrue("the range end is exclusive");
    }

    [Fact]
    public void Presence_match_is_inverted_too()
    {
        var absent = new HeaderMatcherModel("x-debug", null, present: true, null, invert: true, missingAsEmpty: false);
        absent.Matches(Request()).Should().BeTrue();
        absent.Matches(Request(headers: ("x-debug", "1"))).Should().BeFalse();
    }

    [Fact]
    public void Pseudo_headers_read_the_request_line()
    {
        new HeaderMatcherModel(":method", StringMatcherModel.Exact("POST"), null, null, false, false).Matches(Request("POST")).Should().BeTrue();
        new HeaderMatcherModel(":method", StringMatcherModel.Exact("POST"), null, null, false, false).Matches(Request("GET")).Should().BeFalse();
        new HeaderMatcherModel(":authority", StringMatcherModel.Prefix("shop."), null, null, false, false).Matches(Request()).Should().BeTrue();
        new HeaderMatcherModel(":path", StringMatcherModel.Exact("/cart?id=7"), null, null, false, false).Matches(Request()).Should().BeTrue();
        new HeaderMatcherModel(":scheme", StringMatcherModel.Exact("http"), null, null, false, false).Matches(Request()).Should().BeTrue();
    }

    [Fact]
    public void A_header_sent_twice_is_matched_as_its_values_joined_by_commas()
    {
        var matcher = new HeaderMatcherModel("x-tag", StringMatcherModel.Exact("a,b"), null, null, false, false);
        matcher.Matches(Request(headers: [("x-tag", "a"), ("x-tag", "b")])).Should().BeTrue();
    }
}
