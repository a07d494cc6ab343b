using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Rigging.Proxy.Bench;

/// <summary>Counts the runtime's GCAllocationTick samples (one per ~100 KB allocated) by type name, in process.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _byType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public IEnumerable<KeyValuePair<string, int>> Stop()
    {
        _recording = false;
        return _byType.OrderByDescending(kv => kv.Value).Take(40);
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // GC keyword (0x1) at verbose level carries GCAllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var index = e.PayloadNames.IndexOf("TypeName");
        if (index >= 0 && e.Payload?[index] is string type) _byType.AddOrUpdate(type, 1, static (_, n) => n + 1);
    }
}
