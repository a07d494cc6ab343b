namespace Rigging.Proxy.Telemetry;

/// <summary>A monotonically increasing count, lock-free; created once and kept by whoever increments it.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}
