namespace Rigging.Cli.Demo.Traffic;

/// <summary>
/// What the table shows for one service and version: over the recent window (rate, share of the service's
/// answers, success, p99) and over the whole run. Null where there were no answers to measure.
/// </summary>
internal sealed record StatsRow(
    string Service,
    string Version,
    double RatePerSecond,
    double? Share,
    double? Success,
    double? P99,
    long TotalCount,
    double? TotalShare,
    double? TotalSuccess,
    double? TotalP99);
