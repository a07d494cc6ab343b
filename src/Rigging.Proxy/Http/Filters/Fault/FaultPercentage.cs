using Envoy.Type.V3;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Http.Filters.Fault;

/// <summary>
/// A fault's FractionalPercent (unset is 0%, as in Envoy). With a header override configured, the request may
/// lower it through its own percentage header (a numerator over the same denominator, capped at the configured one).
/// </summary>
public readonly record struct FaultPercentage(uint Numerator, uint Denominator)
{
    public static FaultPercentage From(FractionalPercent? percent) => percent is null
        ? new(0, 100)
        : new(percent.Numerator, percent.Denominator switch
        {
            FractionalPercent.Types.DenominatorType.TenThousand => 10_000u,
            FractionalPercent.Types.DenominatorType.Million => 1_000_000u,
            _ => 100u,
        });

    /// <summary>One draw: true with probability Numerator/Denominator (Envoy: random % denominator &lt; numerator).</summary>
    public bool Draw(HttpFilterContext request, IHeaderDictionary headers, string? percentageHeader)
    {
        var numerator = Numerator;
        if (percentageHeader is not null && headers.TryGetValue(percentageHeader, out var value)
            && uint.TryParse(value.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked))
        {
            numerator = Math.Min(asked, Numerator);
        }
        if (numerator == 0) return false;
        if (numerator >= Denominator) return true;
        return (uint)request.NextInt((int)Denominator) < numerator;
    }
}
