namespace Rigging.Proxy.Config;

/// <summary>An xDS resource the proxy cannot apply; the message names the resource and field (it becomes the NACK).</summary>
public sealed class ConfigException(string message) : Exception(message);
