namespace Rigging.Api.Extensions;

/// <summary>Whether a plugin is an HTTP or a network filter.</summary>
public enum PluginType
{
    UNSPECIFIED_PLUGIN_TYPE,
    HTTP,
    NETWORK,
}
