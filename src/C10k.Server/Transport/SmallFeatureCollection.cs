using System.Collections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace C10k.Server.Transport;

/// <summary>
/// A connection's features in a small array (a connection carries about six, set by Kestrel and the middleware), with the
/// connection's own feature interfaces answered by the connection itself: far smaller than a dictionary per connection.
/// </summary>
internal sealed class SmallFeatureCollection(object owner) : IFeatureCollection
{
    private KeyValuePair<Type, object>[] _entries = [];
    private int _count;

    public bool IsReadOnly => false;

    public int Revision { get; private set; }

    public object? this[Type key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            var at = IndexOf(key);
            return at >= 0 ? _entries[at].Value : IsOwnFeature(key) && key.IsInstanceOfType(owner) ? owner : null;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(key);
            Revision++;
            var at = IndexOf(key);
            if (value is null)
            {
                if (at >= 0)
                {
                    _entries[at] = _entries[--_count];
                    _entries[_count] = default;
                }

                return;
            }

            if (at < 0)
            {
                if (_count == _entries.Length)
                {
                    Array.Resize(ref _entries, Math.Max(4, _count * 2));
                }

                at = _count++;
            }

            _entries[at] = new(key, value);
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _entries[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool IsOwnFeature(Type key) =>
        key == typeof(IConnectionIdFeature) || key == typeof(IConnectionTransportFeature)
        || key == typeof(IConnectionItemsFeature) || key == typeof(IConnectionLifetimeFeature);

    private int IndexOf(Type key)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}
