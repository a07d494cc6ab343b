using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Caps concurrent retries as a share of active requests.</summary>
public sealed record RetryBudget
{
    public double? Percent { get; init; }

    public uint? MinRetryConcurrency { get; init; }

    public Duration? BudgetInterval { get; init; }
}
