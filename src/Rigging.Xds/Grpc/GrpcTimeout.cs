using System.Globalization;

namespace Rigging.Xds.Grpc;

/// <summary>The <c>grpc-timeout</c> header: "Timeout → TimeoutValue TimeoutUnit", at most 8 digits, unit H M S m u n.</summary>
internal static class GrpcTimeout
{
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            return false;
        }

        long ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => -1,
        };
        if (ticks < 0)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout in milliseconds (or seconds when it would not fit in 8 digits).</summary>
    public static string Format(TimeSpan timeout)
    {
        long ms = Math.Max(0, (long)Math.Ceiling(timeout.TotalMilliseconds));
        return ms < 100_000_000
            ? ms.ToString(CultureInfo.InvariantCulture) + "m"
            : Math.Min(99_999_999, ms / 1000).ToString(CultureInfo.InvariantCulture) + "S";
    }
}
