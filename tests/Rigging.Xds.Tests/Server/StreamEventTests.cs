using System.Threading.Channels;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Cache;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.AdsTestServer;

namespace Rigging.Xds.Tests.Server;

/// <summary>The cache tells its owner when a node's stream opens and closes, with the node's metadata.</summary>
public sealed class StreamEventTests : IAsyncLifetime
{
    private AdsTestServer _ads = null!;

    public async Task InitializeAsync() => _ads = await AdsTestServer.StartAsync();

    public async Task DisposeAsync() => await _ads.DisposeAsync();

    [Fact]
    public async Task Stream_open_and_close_are_raised_once_with_the_node_of_the_first_request()
    {
        var events = Channel.CreateUnbounded<(string Event, string Id, string? Ns)>();
        _ads.Cache.StreamOpened += (_, e) => events.Writer.TryWrite(("open", e.Node.Id, e.Node.Metadata?.Fields["NAMESPACE"].StringValue));
        _ads.Cache.StreamClosed += (_, e) => events.Writer.TryWrite(("close", e.Node.Id, null));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await using (var stream = _ads.Sotw())
        {
            var request = Request(TypeUrls.Cluster);
            request.Node.Metadata = new Struct { Fields = { ["NAMESPACE"] = Value.ForString("shop") } };
            await stream.SendAsync(request);
            await stream.SendAsync(Request(TypeUrls.Listener));

            (await events.Reader.ReadAsync(timeout.Token)).Should().Be(("open", "node-1", "shop"));
        }

        (await events.Reader.ReadAsync(timeout.Token)).Should().Be(("close", "node-1", (string?)null));
        await Task.Delay(200, timeout.Token);
        events.Reader.TryRead(out _).Should().BeFalse("each stream opens and closes once");
    }
}
