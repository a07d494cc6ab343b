using Envoy.Config.Core.V3;
using Envoy.Type.V3;

namespace Rigging.Proxy.Config;

/// <summary>Envoy's fractional percents as a fraction in [0, 1].</summary>
internal static class Fractions
{
    public static double Of(FractionalPercent? percent)
    {
        if (percent is null) return 0;
        double denominator = percent.Denominator switch
        {
            FractionalPercent.Types.DenominatorType.TenThousand => 10_000,
            FractionalPercent.Types.DenominatorType.Million => 1_000_000,
            _ => 100,
        };
        return Math.Min(1, percent.Numerator / denominator);
    }

    /// <summary>An unset runtime fraction means "always" (Envoy's default of 100%).</summary>
    public static double Of(RuntimeFractionalPercent? percent) => percent?.DefaultValue is null ? 1 : Of(percent.DefaultValue);
}
