using FluentAssertions;
using Microsoft.Extensions.Primitives;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Tests.Http;

public sealed class HopByHopHeadersTests
{
    [Theory]
    [InlineData("x-secret, close", "X-Secret", true)]
    [InlineData("close", "X-Secret", false)]
    [InlineData(" keep-alive ,x-a", "x-a", true)]
    public void Connection_header_tokens_name_hop_by_hop_headers(string connection, string name, bool listed) =>
        HopByHopHeaders.IsListedIn(new StringValues(connection), name).Should().Be(listed);
}
