using System.Collections;

namespace LlmRouter;

/// <summary>
/// A route's attempts, in order: the first held inline, since most requests make exactly one, and an array only for
/// the others — one small object where a list and its array were two.
/// </summary>
/// <remarks>Written by one request at a time; read-only for callers, through <see cref="RouteInfo.Attempts"/>.</remarks>
internal sealed class RouteAttempts : IReadOnlyList<RouteAttempt>
{
    private RouteAttempt? _first;
    private RouteAttempt[]? _more;

    public int Count { get; private set; }

    public RouteAttempt this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return index == 0 ? _first! : _more![index - 1];
        }
    }

    public void Add(RouteAttempt attempt)
    {
        if (Count == 0)
        {
            _first = attempt;
        }
        else
        {
            if (_more is null)
            {
                _more = new RouteAttempt[2];
            }
            else if (Count - 1 == _more.Length)
            {
                Array.Resize(ref _more, _more.Length * 2);
            }

            _more[Count - 1] = attempt;
        }

        Count++;
    }

    public IEnumerator<RouteAttempt> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
