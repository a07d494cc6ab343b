using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Xds.Client;

/// <summary>One state-of-the-world response: every resource of a type the client subscribes to.</summary>
public sealed record AdsUpdate(string TypeUrl, string Version, IReadOnlyList<Any> Resources)
{
    /// <summary>The resources unpacked to their message type.</summary>
    /// <exception cref="InvalidDataException">A resource is not a <typeparamref name="T"/>.</exception>
    public IReadOnlyList<T> Unpack<T>()
        where T : class, IMessage<T>, new()
    {
        var list = new List<T>(Resources.Count);
        foreach (var any in Resources)
        {
            list.Add(any.Unpack<T>() ?? throw new InvalidDataException($"Resource of type {any.TypeUrl} is not a {typeof(T).Name}."));
        }

        return list;
    }
}
