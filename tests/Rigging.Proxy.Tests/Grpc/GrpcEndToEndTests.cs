using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;

namespace Rigging.Proxy.Tests.Grpc;

/// <summary>
/// gRPC through the proxy, end to end: a grpc-js client → proxy listener (h2c) → h2c cluster → grpc-js server.
/// Status, grpc-message and trailing metadata must arrive exactly as the backend sent them.
/// </summary>
public sealed class GrpcEndToEndTests(GrpcRig rig) : IClassFixture<GrpcRig>
{
    private const int Ok = 0, Cancelled = 1, InvalidArgument = 3, DeadlineExceeded = 4, FailedPrecondition = 9;

    [Fact]
    public async Task Unary_call_carries_metadata_both_ways_and_the_trailers()
    {
        var result = await rig.CallAsync(new { op = "unary", req = new { message = "hi" }, metadata = new Dictionary<string, string> { ["x-echo"] = "from-client" } });

        Code(result).Should().Be(Ok, result.ToString());
        result.GetProperty("reply").GetProperty("message").GetString().Should().Be("hi");
        result.GetProperty("reply").GetProperty("metadata").GetString().Should().Be("from-client");
        result.GetProperty("headers").GetProperty("x-server-header").GetString().Should().Be("hello");
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_then_the_trailers()
    {
        var result = await rig.CallAsync(new { op = "serverStream", req = new { message = "s", count = 50 } });

        Code(result).Should().Be(Ok, result.ToString());
        Indexes(result).Should().Equal(Enumerable.Range(0, 50));
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    [Fact]
    public async Task Bidirectional_stream_interleaves_100_messages_each_way()
    {
        // The client sends message n+1 only after answer n came back: any buffering on either way stalls the call.
        var result = await rig.CallAsync(new { op = "bidi", count = 100 }, TimeSpan.FromSeconds(15));

        Code(result).Should().Be(Ok, result.ToString());
        Indexes(result).Should().Equal(Enumerable.Range(0, 100));
        result.GetProperty("echoed").GetInt32().Should().Be(100);
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    [Fact]
    public async Task Error_status_after_headers_passes_grpc_message_through_unchanged()
    {
        const string details = "quota: 100% used, naïve retry \"refused\" ✓";
        var result = await rig.CallAsync(new { op = "unary", req = new { failCode = FailedPrecondition, failMessage = details, headersFirst = true } });

        Code(result).Should().Be(FailedPrecondition, result.ToString());
        result.GetProperty("details").GetString().Should().Be(details);
        result.GetProperty("headers").GetProperty("x-early").GetString().Should().Be("yes");
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    [Fact]
    public async Task Trailers_only_response_reaches_the_client_as_its_status_and_metadata()
    {
        const string details = "bad argument: 50% off";
        // No headers before the failure: grpc-js answers with one HEADERS frame ending the stream (trailers-only).
        var result = await rig.CallAsync(new { op = "unary", req = new { failCode = InvalidArgument, failMessage = details } });

        Code(result).Should().Be(InvalidArgument, result.ToString());
        result.GetProperty("details").GetString().Should().Be(details);
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    [Fact]
    public async Task Deadline_exceeded_by_a_slow_handler_gives_DEADLINE_EXCEEDED_and_cancels_the_backend_call()
    {
        var before = await rig.BackendStatsAsync();
        var clock = Stopwatch.StartNew();
        var result = await rig.CallAsync(new { op = "unary", req = new { message = "slow", sleepMs = 5000 }, deadlineMs = 300 });

        Code(result).Should().Be(DeadlineExceeded, result.ToString());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        await BackendSeesAsync("cancelled", before.GetProperty("cancelled").GetInt32() + 1);
    }

    [Fact]
    public async Task Client_cancelling_a_stream_cancels_the_backend_stream()
    {
        var before = await rig.BackendStatsAsync();
        var result = await rig.CallAsync(new { op = "serverStream", req = new { message = "s", count = 1000, sleepMs = 5 }, cancelAfter = 3 });

        Code(result).Should().Be(Cancelled, result.ToString());
        await BackendSeesAsync("cancelled", before.GetProperty("cancelled").GetInt32() + 1);
        (await rig.BackendStatsAsync()).GetProperty("completed").GetInt32().Should().Be(before.GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task Retry_on_unavailable_recovers_from_a_backend_that_fails_once()
    {
        var result = await rig.CallRetryingAsync(new { op = "unary", req = new { message = "again", key = "k1", failTimes = 1 } });

        Code(result).Should().Be(Ok, result.ToString());
        result.GetProperty("reply").GetProperty("attempt").GetString().Should().Be("2");
        (await rig.BackendStatsAsync()).GetProperty("calls").GetProperty("k1").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Bidirectional_stream_through_a_retrying_route_is_not_held_in_the_replay_buffer()
    {
        // With a retry policy the request body streams through the replay buffer; it must still flow message by message.
        var result = await rig.CallRetryingAsync(new { op = "bidi", count = 100 }, TimeSpan.FromSeconds(15));

        Code(result).Should().Be(Ok, result.ToString());
        result.GetProperty("echoed").GetInt32().Should().Be(100);
    }

    [Fact]
    public async Task Server_stream_ending_in_an_error_keeps_its_messages_and_the_status_in_the_trailers()
    {
        var result = await rig.CallAsync(new { op = "serverStream", req = new { message = "s", count = 5, failCode = FailedPrecondition, failMessage = "ran out: 5/5" } });

        Code(result).Should().Be(FailedPrecondition, result.ToString());
        result.GetProperty("details").GetString().Should().Be("ran out: 5/5");
        Indexes(result).Should().Equal(Enumerable.Range(0, 5));
        result.GetProperty("trailers").GetProperty("x-server-trailer").GetString().Should().Be("bye");
    }

    private static int Code(JsonElement result) => result.GetProperty("code").GetInt32();

    private static IEnumerable<int> Indexes(JsonElement result) => result.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()).ToList();

    /// <summary>Waits (bounded) until the backend's counter reaches <paramref name="atLeast"/>.</summary>
    private async Task BackendSeesAsync(string counter, int atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = await rig.BackendStatsAsync();
            if (stats.GetProperty(counter).GetInt32() >= atLeast) return;
            if (clock.Elapsed > TimeSpan.FromSeconds(5)) throw new TimeoutException($"the backend's {counter} stayed below {atLeast}: {stats}");
            await Task.Delay(20);
        }
    }
}
