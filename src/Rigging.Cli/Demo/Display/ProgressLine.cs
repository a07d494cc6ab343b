using System.Globalization;
using System.Text;
using Rigging.Cli.Demo.Traffic;

namespace Rigging.Cli.Demo.Display;

/// <summary>One line of progress for output that is not a terminal (logs, CI): each service's versions, rates, p99.</summary>
internal static class ProgressLine
{
    public static string Format(List<StatsRow> rows, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{elapsed.TotalSeconds,4:0} s]");
        string? service = null;
        foreach (var row in rows)
        {
            if (row.Service != service)
            {
                text.Append(service is null ? " " : "; ").Append(row.Service);
                service = row.Service;
            }
            text.Append(CultureInfo.InvariantCulture, $" {row.Version} {row.RatePerSecond:0.0}/s");
            if (row.P99 is { } p99) text.Append(CultureInfo.InvariantCulture, $" p99 {p99:0.#} ms");
            if (row.Success is { } ok && ok < 100) text.Append(CultureInfo.InvariantCulture, $" ({ok:0}% ok)");
        }
        return text.ToString();
    }
}
