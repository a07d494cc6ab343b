namespace Rigging.Samples.Bookinfo;

/// <summary>Which services each role calls: productpage → details and reviews; reviews v2/v3 → ratings.</summary>
public static class Roles
{
    public static async Task<IReadOnlyList<CallResult>> CallDownstreamAsync(
        RoleOptions options, Downstream downstream, HttpRequest request, CancellationToken cancel)
    {
        switch (options.Role)
        {
            case "productpage":
                var details = downstream.GetAsync("details", "/details/0", request, cancel);
                var reviews = downstream.GetAsync("reviews", "/reviews/0", request, cancel);
                return [await details, await reviews];
            case "reviews" when options.Version != "v1":
                return [await downstream.GetAsync("ratings", "/ratings/0", request, cancel)];
            default:
                return [];
        }
    }
}
