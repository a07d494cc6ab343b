using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Envoy.Service.Discovery.V3;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc;

namespace Rigging.Xds.Bench;

/// <summary>gRPC frame writing and reading in steady state: the framing must allocate nothing per message.</summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private DiscoveryResponse _message = null!;
    private ReadOnlySequence<byte> _frame;
    private GrpcStreamWriter<DiscoveryResponse> _writer = null!;
    private GrpcStreamWriter<DiscoveryResponse> _timedWriter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var snapshot = ConvergenceBenchmark.BuildSnapshot(clusters: 20, endpointPort: 9000);
        _message = new DiscoveryResponse { TypeUrl = TypeUrls.ClusterLoadAssignment, VersionInfo = "v1", Nonce = "1" };
        foreach (var resource in snapshot.Get(TypeUrls.ClusterLoadAssignment).Resources.Values)
        {
            _message.Resources.Add(resource.Any);
        }

        var bytes = new ArrayBufferWriter<byte>();
        GrpcFrame.Write(bytes, _message);
        _frame = new ReadOnlySequence<byte>(bytes.WrittenMemory);
        _writer = new GrpcStreamWriter<DiscoveryResponse>(_pipe.Writer, Timeout.InfiniteTimeSpan, TimeProvider.System, CancellationToken.None);
        _timedWriter = new GrpcStreamWriter<DiscoveryResponse>(_pipe.Writer, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _timedWriter.Dispose();
    }

    [Benchmark(Description = "GrpcFrame.Write (header + message into a buffer writer)")]
    public int WriteFrame()
    {
        _buffer.ResetWrittenCount();
        GrpcFrame.Write(_buffer, _message);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "GrpcFrame.TryRead (find one whole frame in a sequence)")]
    public long ReadFrame()
    {
        GrpcFrame.TryRead(_frame, 4 * 1024 * 1024, out var payload, out _, out long length);
        return payload.Length + length;
    }

    [Benchmark(Description = "GrpcStreamWriter -> Pipe -> frame read and AdvanceTo")]
    public ValueTask<long> WriteThenReadThroughPipe() => ThroughPipeAsync(_writer);

    [Benchmark(Description = "same, with the 30 s write timeout armed per message")]
    public ValueTask<long> WriteThenReadThroughPipeWithTimeout() => ThroughPipeAsync(_timedWriter);

    private async ValueTask<long> ThroughPipeAsync(GrpcStreamWriter<DiscoveryResponse> writer)
    {
        await writer.WriteAsync(_message);
        ReadResult result = await _pipe.Reader.ReadAsync();
        var buffer = result.Buffer;
        GrpcFrame.TryRead(buffer, 4 * 1024 * 1024, out var payload, out var end, out _);
        long length = payload.Length;
        _pipe.Reader.AdvanceTo(end, end);
        return length;
    }
}
