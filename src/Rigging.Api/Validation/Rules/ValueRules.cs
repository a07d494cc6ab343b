using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Ranges Istio checks again and again: ports, percentages, durations, HTTP statuses.</summary>
internal static class ValueRules
{
    public const string PortRange = "port must be between 1-65535";

    public static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public static void Port(uint? port, FieldPath path, ValidationContext context)
    {
        if (port is { } p && p is 0 or > 65535) context.Invalid(path, p, PortRange);
    }

    public static void Port(int? port, FieldPath path, ValidationContext context)
    {
        if (port is { } p && p is <= 0 or > 65535) context.Invalid(path, p, PortRange);
    }

    public static void Percentage(double? value, FieldPath path, ValidationContext context)
    {
        if (value is { } v && (v < 0 || v > 100 || double.IsNaN(v))) context.Invalid(path, v, "percentage must be in range 0..100");
    }

    /// <summary>Istio's ValidateDuration: at least 1ms, in whole milliseconds.</summary>
    public static void AtLeastOneMillisecond(Duration? duration, FieldPath path, ValidationContext context)
    {
        if (duration is not { } d) return;
        if (d.Value < OneMillisecond) context.Invalid(path, d.Text, "duration must be greater than 1ms");
        else if (d.Value.Ticks % TimeSpan.TicksPerMillisecond != 0) context.Invalid(path, d.Text, "only durations to ms precision are supported");
    }

    public static void NotNegative(long? value, FieldPath path, ValidationContext context)
    {
        if (value is < 0) context.Schema(path, "should be greater than or equal to 0");
    }

    /// <summary>A string the schema requires to be non-empty when present.</summary>
    public static void NotEmpty(string? value, FieldPath path, ValidationContext context)
    {
        if (value is { Length: 0 }) context.Schema(path, "should be at least 1 chars long");
    }

    public static void NotEmpty(IReadOnlyList<string>? values, FieldPath path, ValidationContext context)
    {
        if (values is null) return;
        for (var i = 0; i < values.Count; i++) NotEmpty(values[i], path.Index(i), context);
    }
}
