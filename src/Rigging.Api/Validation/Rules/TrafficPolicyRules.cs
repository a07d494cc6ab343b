using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

/// <summary>Traffic policy rules, shared by a DestinationRule, its subsets and port settings, and a Sidecar's pools.</summary>
internal static class TrafficPolicyRules
{
    public static void TrafficPolicy(TrafficPolicy policy, FieldPath path, ValidationContext context)
    {
        if (policy.LoadBalancer is { } lb) LoadBalancer(lb, path.Child("loadBalancer"), context);
        if (policy.ConnectionPool is { } pool) ConnectionPool(pool, path.Child("connectionPool"), context);
        if (policy.OutlierDetection is { } outlier) OutlierDetection(outlier, path.Child("outlierDetection"), context);
        if (policy.Tls is { } tls) ClientTls(tls, path.Child("tls"), context);
        var ports = policy.PortLevelSettings ?? [];
        var seen = new HashSet<uint>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not { } settings) continue;
            var at = path.Child("portLevelSettings").Index(i);
            if (settings.Port?.Number is not { } number) context.Required(at.Child("port"), "port level settings need a port number");
            else if (!seen.Add(number)) context.Duplicate(at.Child("port").Child("number"), number);
            else ValueRules.Port(number, at.Child("port").Child("number"), context);
            if (settings.LoadBalancer is { } plb) LoadBalancer(plb, at.Child("loadBalancer"), context);
            if (settings.ConnectionPool is { } ppool) ConnectionPool(ppool, at.Child("connectionPool"), context);
            if (settings.OutlierDetection is { } poutlier) OutlierDetection(poutlier, at.Child("outlierDetection"), context);
            if (settings.Tls is { } ptls) ClientTls(ptls, at.Child("tls"), context);
        }
        if (policy.Tunnel is { } tunnel)
        {
            var at = path.Child("tunnel");
            if (tunnel.Protocol is { } protocol && protocol is not ("CONNECT" or "POST"))
                context.Unsupported(at.Child("protocol"), protocol, ["CONNECT", "POST"]);
            if (string.IsNullOrEmpty(tunnel.TargetHost)) context.Required(at.Child("targetHost"));
            if (tunnel.TargetPort is null) context.Required(at.Child("targetPort"));
            ValueRules.Port(tunnel.TargetPort, at.Child("targetPort"), context);
        }
        if (policy.RetryBudget is { } budget)
        {
            ValueRules.Percentage(budget.Percent, path.Child("retryBudget").Child("percent"), context);
            ValueRules.AtLeastOneMillisecond(budget.BudgetInterval, path.Child("retryBudget").Child("budgetInterval"), context);
        }
    }

    public static void LoadBalancer(LoadBalancerSettings lb, FieldPath path, ValidationContext context)
    {
        if (lb.Simple is not null && lb.ConsistentHash is not null) context.Rule(path, "only one of simple or consistentHash may be set");
        if (lb.ConsistentHash is { } hash)
        {
            var at = path.Child("consistentHash");
            var keys = (hash.HttpHeaderName is not null ? 1 : 0) + (hash.HttpCookie is not null ? 1 : 0)
                + (hash.UseSourceIp is not null ? 1 : 0) + (hash.HttpQueryParameterName is not null ? 1 : 0);
            if (keys > 1) context.Rule(at, "only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName may be set");
            if (hash.HttpCookie is { } cookie)
            {
                if (string.IsNullOrEmpty(cookie.Name)) context.Required(at.Child("httpCookie").Child("name"), "a hash cookie needs a name");
                if (cookie.Ttl is { } ttl && ttl.Value < TimeSpan.Zero) context.Invalid(at.Child("httpCookie").Child("ttl"), ttl.Text, "ttl must not be negative");
            }
            if (hash.HttpHeaderName is { } header) HttpRules.HeaderName(header, at.Child("httpHeaderName"), context);
            if (hash.RingHash is not null && hash.Maglev is not null) context.Rule(at, "only one of ringHash or maglev may be set");
            if (hash.MinimumRingSize is not null) context.Deprecated(at.Child("minimumRingSize"), "ringHash.minimumRingSize");
            if (hash.MinimumRingSize is not null && (hash.RingHash is not null || hash.Maglev is not null))
                context.Rule(at, "minimumRingSize is the old form of ringHash.minimumRingSize; set only one of them");
        }
        if (lb.LocalityLbSetting is { } locality) Locality(locality, path.Child("localityLbSetting"), context);
        if (lb.WarmupDurationSecs is not null) context.Deprecated(path.Child("warmupDurationSecs"), "warmup.duration");
        ValueRules.AtLeastOneMillisecond(lb.WarmupDurationSecs, path.Child("warmupDurationSecs"), context);
        if (lb.Warmup is { } warmup)
        {
            var at = path.Child("warmup");
            if (warmup.Duration is null) context.Required(at.Child("duration"), "a warmup needs its duration");
            else ValueRules.AtLeastOneMillisecond(warmup.Duration, at.Child("duration"), context);
            if (warmup.MinimumPercent is { } min && (min < 0 || min > 100 || double.IsNaN(min)))
                context.Invalid(at.Child("minimumPercent"), min, "minimumPercent must be in range 0..100");
            if (warmup.Aggression is { } aggression && (aggression <= 0 || double.IsNaN(aggression)))
                context.Invalid(at.Child("aggression"), aggression, "aggression must be greater than 0 (1 ramps traffic up linearly)");
        }
    }

    private static void Locality(LocalityLoadBalancerSetting locality, FieldPath path, ValidationContext context)
    {
        if (locality.Distribute is { Count: > 0 } && locality.Failover is { Count: > 0 })
            context.Rule(path, "cannot set both distribute and failover");
        var distribute = locality.Distribute ?? [];
        for (var i = 0; i < distribute.Count; i++)
        {
            if (distribute[i] is not { } d) continue;
            var total = d.To?.Values.Aggregate(0L, (sum, w) => sum + w) ?? 0;
            if (total != 100) context.Invalid(path.Child("distribute").Index(i).Child("to"), total, "the weights of a locality's destinations must add up to 100");
        }
        var failover = locality.Failover ?? [];
        for (var i = 0; i < failover.Count; i++)
        {
            if (failover[i] is { } f && f.From is not null && f.From == f.To)
                context.Invalid(path.Child("failover").Index(i), f.From, "failover from and to must be different regions");
        }
    }

    public static void ConnectionPool(ConnectionPoolSettings pool, FieldPath path, ValidationContext context)
    {
        if (pool.Http is { } http)
        {
            var at = path.Child("http");
            ValueRules.NotNegative(http.Http1MaxPendingRequests, at.Child("http1MaxPendingRequests"), context);
            ValueRules.NotNegative(http.Http2MaxRequests, at.Child("http2MaxRequests"), context);
            ValueRules.NotNegative(http.MaxRequestsPerConnection, at.Child("maxRequestsPerConnection"), context);
            ValueRules.NotNegative(http.MaxRetries, at.Child("maxRetries"), context);
            ValueRules.NotNegative(http.MaxConcurrentStreams, at.Child("maxConcurrentStreams"), context);
            ValueRules.AtLeastOneMillisecond(http.IdleTimeout, at.Child("idleTimeout"), context);
            ValueRules.AtLeastOneMillisecond(http.Http2KeepAlive?.Interval, at.Child("http2KeepAlive").Child("interval"), context);
            ValueRules.AtLeastOneMillisecond(http.Http2KeepAlive?.Timeout, at.Child("http2KeepAlive").Child("timeout"), context);
        }
        if (pool.Tcp is { } tcp)
        {
            var at = path.Child("tcp");
            ValueRules.NotNegative(tcp.MaxConnections, at.Child("maxConnections"), context);
            ValueRules.AtLeastOneMillisecond(tcp.ConnectTimeout, at.Child("connectTimeout"), context);
            ValueRules.AtLeastOneMillisecond(tcp.MaxConnectionDuration, at.Child("maxConnectionDuration"), context);
            ValueRules.AtLeastOneMillisecond(tcp.IdleTimeout, at.Child("idleTimeout"), context);
            ValueRules.AtLeastOneMillisecond(tcp.TcpKeepalive?.Time, at.Child("tcpKeepalive").Child("time"), context);
            ValueRules.AtLeastOneMillisecond(tcp.TcpKeepalive?.Interval, at.Child("tcpKeepalive").Child("interval"), context);
        }
    }

    public static void OutlierDetection(OutlierDetection outlier, FieldPath path, ValidationContext context)
    {
        if (outlier.ConsecutiveErrors is not null) context.Deprecated(path.Child("consecutiveErrors"), "consecutive5xxErrors");
        if (outlier.ConsecutiveErrors is < 0) context.Invalid(path.Child("consecutiveErrors"), outlier.ConsecutiveErrors, "outlier detection consecutive errors cannot be negative");
        ValueRules.AtLeastOneMillisecond(outlier.Interval, path.Child("interval"), context);
        ValueRules.AtLeastOneMillisecond(outlier.BaseEjectionTime, path.Child("baseEjectionTime"), context);
        if (outlier.MaxEjectionPercent is < 0 or > 100)
            context.Invalid(path.Child("maxEjectionPercent"), outlier.MaxEjectionPercent, "max ejection percent must be in range [0, 100]");
        if (outlier.MinHealthPercent is < 0 or > 100)
            context.Invalid(path.Child("minHealthPercent"), outlier.MinHealthPercent, "minimum health percent must be in range [0, 100]");
        var codes = outlier.OutlierDetectionHttpErrorCodes ?? [];
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] is < 100 or > 599) context.Invalid(path.Child("outlierDetectionHttpErrorCodes").Index(i), codes[i], "must be an HTTP status code (100-599)");
        }
    }

    public static void ClientTls(ClientTlsSettings tls, FieldPath path, ValidationContext context)
    {
        var hasFiles = tls.ClientCertificate is not null || tls.PrivateKey is not null || tls.CaCertificates is not null;
        switch (tls.Mode)
        {
            case ClientTlsMode.MUTUAL when string.IsNullOrEmpty(tls.CredentialName):
                if (string.IsNullOrEmpty(tls.ClientCertificate)) context.Required(path.Child("clientCertificate"), "MUTUAL TLS needs a client certificate (or credentialName)");
                if (string.IsNullOrEmpty(tls.PrivateKey)) context.Required(path.Child("privateKey"), "MUTUAL TLS needs a private key (or credentialName)");
                break;
            case ClientTlsMode.ISTIO_MUTUAL when hasFiles || tls.CredentialName is not null:
                context.Rule(path, "ISTIO_MUTUAL uses the mesh's certificates: remove clientCertificate, privateKey, caCertificates and credentialName, or use MUTUAL");
                break;
        }
        ValueRules.NotEmpty(tls.SubjectAltNames, path.Child("subjectAltNames"), context);
    }
}
