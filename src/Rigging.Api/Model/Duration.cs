using System.Globalization;

namespace Rigging.Api.Model;

/// <summary>
/// A protobuf Duration as Istio reads it: "1.5s", "300ms", "1h30m", "10us", "5ns" (Go's duration syntax,
/// which includes the protobuf JSON form). Keeps the text the user wrote, for messages.
/// </summary>
public readonly record struct Duration(TimeSpan Value, string Text)
{
    public override string ToString() => Text;

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 0) return false;
        if (s is "0")
        {
            duration = new Duration(TimeSpan.Zero, text);
            return true;
        }
        decimal totalNanos = 0;
        while (s.Length > 0)
        {
            var n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.')) n++;
            if (n == 0) return false;
            if (!decimal.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            s = s[n..];
            var u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.') u++;
            decimal? unit = s[..u] switch
            {
                "ns" => 1m,
                "us" or "µs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (unit is null) return false;
            totalNanos += number * unit.Value;
            if (totalNanos > 315_576_000_000_000_000_000m) return false; // protobuf's limit: 10,000 years
            s = s[u..];
        }
        var ticks = (long)(totalNanos / 100m);
        duration = new Duration(TimeSpan.FromTicks(negative ? -ticks : ticks), text);
        return true;
    }
}
