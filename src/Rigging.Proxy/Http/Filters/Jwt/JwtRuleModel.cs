using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>A RequirementRule: requests its match selects must meet its requirement (the first matching rule wins).</summary>
public sealed record JwtRuleModel(RouteMatcher Match, JwtRequirementModel Requirement);
