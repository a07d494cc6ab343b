using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using FluentAssertions;
using Google.Protobuf;
using Rigging.Xds.Cache;
using Rigging.Xds.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Cache;

/// <summary>
/// A SotW response body serialized once per selection, plus each stream's nonce, is exactly the message the
/// per-stream path built: same bytes, same parsed message, for every type, wildcard and named.
/// </summary>
public sealed class PreparedResponseTests
{
    public static TheoryData<string> Types => new(TypeUrls.ResponseOrder);

    [Theory]
    [MemberData(nameof(Types))]
    public void Wildcard_body_plus_nonce_is_the_whole_response_of_every_resource(string typeUrl)
    {
        var set = ThreeOfEachType().Get(typeUrl);
        var subscription = new Subscription(typeUrl);
        subscription.Replace(["*"], firstRequest: true);

        var prepared = subscription.Select(set);

        AssertSameAsBuiltPerStream(prepared, set.Resources.Values, "7");
        prepared.Should().BeSameAs(set.Response, "every wildcard stream shares the set's response");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Named_body_plus_nonce_holds_only_the_named_resources(string typeUrl)
    {
        var set = ThreeOfEachType().Get(typeUrl);
        var subscription = new Subscription(typeUrl);
        subscription.Replace(["z", "a", "missing"], firstRequest: true);

        var prepared = subscription.Select(set);

        AssertSameAsBuiltPerStream(prepared, [set.Resources["a"], set.Resources["z"]], "123456789012");
        DiscoveryResponse.Parser.ParseFrom(Concat(prepared.Body.ToArray(), PreparedResponse.NonceField("1")))
            .Resources.Should().HaveCount(2, "a stream that names resources gets only those");
    }

    [Fact]
    public void Streams_selecting_the_same_names_share_one_body_and_others_get_their_own()
    {
        var set = ThreeOfEachType().Get(TypeUrls.ClusterLoadAssignment);
        var one = new Subscription(TypeUrls.ClusterLoadAssignment);
        var same = new Subscription(TypeUrls.ClusterLoadAssignment);
        var other = new Subscription(TypeUrls.ClusterLoadAssignment);
        one.Replace(["a", "m"], firstRequest: true);
        same.Replace(["m", "a"], firstRequest: true);
        other.Replace(["a"], firstRequest: true);

        var first = one.Select(set);

        same.Select(set).Should().BeSameAs(first);
        same.Select(set).Body.Equals(first.Body).Should().BeTrue("the bytes are serialized once and shared");
        other.Select(set).Should().NotBeSameAs(first);
        other.Select(set).Resources.Select(r => r.Name).Should().Equal("a");
    }

    [Fact]
    public void An_ack_round_selects_and_serializes_nothing_anew()
    {
        var set = ThreeOfEachType().Get(TypeUrls.RouteConfiguration);
        var subscription = new Subscription(TypeUrls.RouteConfiguration);
        subscription.Replace(["m"], firstRequest: true);
        var sent = subscription.Select(set);
        var body = sent.Body;

        subscription.Replace(["m"], firstRequest: false).Should().BeFalse();

        subscription.Select(set).Should().BeSameAs(sent);
        subscription.Select(set).Body.Equals(body).Should().BeTrue();
    }

    [Fact]
    public void Streams_racing_for_the_body_all_get_the_same_bytes()
    {
        var set = ThreeOfEachType().Get(TypeUrls.Cluster);

        var bodies = Enumerable.Range(0, 8).AsParallel().Select(_ => set.Response.Body).ToList();

        bodies.Should().OnlyContain(b => b.Equals(bodies[0]));
    }

    [Fact]
    public void Nonce_field_encodes_long_nonces_with_a_multi_byte_length()
    {
        string nonce = new('9', 300);
        var set = ThreeOfEachType().Get(TypeUrls.Listener);

        var parsed = DiscoveryResponse.Parser.ParseFrom(Concat(set.Response.Body.ToArray(), PreparedResponse.NonceField(nonce)));

        parsed.Nonce.Should().Be(nonce);
        parsed.Resources.Should().HaveCount(3);
    }

    /// <summary>What a stream built before responses were prepared: a message with every field, nonce included.</summary>
    private static void AssertSameAsBuiltPerStream(PreparedResponse prepared, IEnumerable<CachedResource> expected, string nonce)
    {
        var sorted = expected.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var perStream = new DiscoveryResponse { VersionInfo = ResourceSet.VersionOf(sorted), TypeUrl = prepared.TypeUrl, Nonce = nonce };
        perStream.Resources.AddRange(sorted.Select(r => r.Any));

        byte[] written = Concat(prepared.Body.ToArray(), PreparedResponse.NonceField(nonce));

        written.Should().Equal(perStream.ToByteArray(), "fields 1, 2, 4 then 5 are the order protobuf serializes them");
        DiscoveryResponse.Parser.ParseFrom(written).Should().Be(perStream);
        prepared.ToMessage(nonce).Should().Be(perStream);
    }

    private static byte[] Concat(byte[] head, byte[] tail) => [.. head, .. tail];

    /// <summary>Resources named a, m and z of every type (created out of order).</summary>
    private static Snapshot ThreeOfEachType()
    {
        var resources = new List<IMessage>();
        foreach (string name in (string[])["z", "a", "m"])
        {
            resources.Add(XdsResources.ApiListener(name, "r-" + name));
            resources.Add(XdsResources.Routes(name, XdsResources.ToCluster("to-" + name, name)));
            resources.Add(XdsResources.EdsCluster(name));
            resources.Add(XdsResources.Endpoints(name, 1000 + name[0]));
            resources.Add(new Secret { Name = name });
        }

        return Snapshot.Create(resources);
    }
}
