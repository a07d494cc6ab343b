using FluentAssertions;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Grpc;

/// <summary>@grpc/grpc-js as the client, our Kestrel gRPC server as the server.</summary>
public sealed class GrpcjsClientToOurServerTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcServer? _server;

    private string Port => _server!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync() => _server = await GrpcServer.StartAsync(EchoMethods.CreateRegistry("ours", _cancelled));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task Unary_call_returns_the_reply_and_sees_request_metadata()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "unary");

        result.GetProperty("code").GetInt32().Should().Be(0, result.ToString());
        result.GetProperty("reply").GetProperty("message").GetString().Should().Be("hello");
        result.GetProperty("reply").GetProperty("server").GetString().Should().Be("ours");
        result.GetProperty("reply").GetProperty("metadata").GetString().Should().Be("from-grpc-js");
    }

    [Fact]
    public async Task Handler_error_reaches_the_client_as_status_and_message()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "error");

        result.GetProperty("code").GetInt32().Should().Be(7);
        result.GetProperty("details").GetString().Should().Be("failed on purpose");
    }

    [Fact]
    public async Task Client_deadline_ends_a_slow_call_with_deadline_exceeded()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "deadline");

        result.GetProperty("code").GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task Bidi_stream_echoes_100_messages_in_order()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "bidi");

        result.GetProperty("code").GetInt32().Should().Be(0, result.ToString());
        var replies = result.GetProperty("replies").EnumerateArray().Select(e => e.GetString()).ToList();
        replies.Should().Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"));
    }

    [Fact]
    public async Task Message_over_4_MiB_is_refused_with_resource_exhausted()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "large");

        result.GetProperty("code").GetInt32().Should().Be(8, result.ToString());
    }

    [Fact]
    public async Task Client_cancel_cancels_the_server_handler()
    {
        var result = await NodeProcess.RunAsync("echo-client.js", Port, "cancel");

        result.GetProperty("code").GetInt32().Should().Be(1);
        var seen = await Task.WhenAny(_cancelled.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        seen.Should().Be(_cancelled.Task, "the handler's token must fire when the client resets the stream");
    }
}
