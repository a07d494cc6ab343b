using System.Text.Json;
using FluentAssertions;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;
using Rigging.Xds.Tests.Echo;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Grpc;

/// <summary>Our SocketsHttpHandler client against a @grpc/grpc-js server.</summary>
public sealed class OurClientToGrpcjsServerTests : IAsyncLifetime
{
    private NodeProcess? _node;
    private GrpcChannel? _channel;

    public async Task InitializeAsync()
    {
        _node = NodeProcess.Start("echo-server.js", ["js"]);
        JsonElement started = await _node.ReadJsonAsync(TimeSpan.FromSeconds(20));
        int port = started.GetProperty("servers")[0].GetProperty("port").GetInt32();
        _channel = new GrpcChannel(new Uri($"http://127.0.0.1:{port}"));
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await _node!.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_returns_the_reply_and_sends_metadata()
    {
        var options = new GrpcCallOptions { Metadata = [new("x-echo", "from-dotnet")], Timeout = TimeSpan.FromSeconds(5) };

        EchoReply reply = await _channel!.UnaryAsync(EchoMethods.Unary, new EchoRequest { Message = "hi" }, options);

        reply.Message.Should().Be("hi");
        reply.Server.Should().Be("js");
        reply.Metadata.Should().Be("from-dotnet");
    }

    [Fact]
    public async Task Server_error_surfaces_as_status_exception_with_message()
    {
        var act = () => _channel!.UnaryAsync(EchoMethods.Unary, new EchoRequest { FailCode = 5 });

        var error = await act.Should().ThrowAsync<GrpcStatusException>();
        error.Which.StatusCode.Should().Be(GrpcStatusCode.NotFound);
        error.Which.Status.Message.Should().Be("failed on purpose");
    }

    [Fact]
    public async Task Deadline_ends_a_slow_call_with_deadline_exceeded()
    {
        var options = new GrpcCallOptions { Timeout = TimeSpan.FromMilliseconds(300) };

        var act = () => _channel!.UnaryAsync(EchoMethods.Unary, new EchoRequest { SleepMs = 5000 }, options);

        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.StatusCode.Should().Be(GrpcStatusCode.DeadlineExceeded);
    }

    [Fact]
    public async Task Bidi_stream_interleaves_requests_and_responses()
    {
        await using var call = _channel!.StartDuplex(EchoMethods.Bidi, new GrpcCallOptions { Timeout = TimeSpan.FromSeconds(10) });
        for (int i = 0; i < 50; i++)
        {
            await call.WriteAsync(new EchoRequest { Message = $"m{i}" });
            EchoReply? reply = await call.ReadAsync();
            reply!.Message.Should().Be($"m{i}");
        }

        await call.CompleteRequestAsync();
        (await call.ReadAsync()).Should().BeNull();
        call.Status!.Value.Code.Should().Be(GrpcStatusCode.Ok);
    }

    [Fact]
    public async Task Server_error_mid_stream_ends_the_stream_with_its_status()
    {
        await using var call = _channel!.StartDuplex(EchoMethods.Bidi);
        await call.WriteAsync(new EchoRequest { Message = "a" });
        (await call.ReadAsync())!.Message.Should().Be("a");
        await call.WriteAsync(new EchoRequest { FailCode = 9 });

        var act = async () => await call.ReadAsync();

        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.StatusCode.Should().Be(GrpcStatusCode.FailedPrecondition);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var missing = new GrpcMethod<EchoRequest, EchoReply>("rigging.test.Echo", "Missing", EchoRequest.Parser, EchoReply.Parser);

        var act = () => _channel!.UnaryAsync(missing, new EchoRequest());

        (await act.Should().ThrowAsync<GrpcStatusException>()).Which.StatusCode.Should().Be(GrpcStatusCode.Unimplemented);
    }
}
