using System.Collections.Specialized;

namespace Converge.Client.Live;

/// <summary>One change of a bound list, made into the event a view expects.</summary>
internal readonly record struct ListChange<T>(NotifyCollectionChangedAction Action, T? Item, T? OldItem, int Index, int OldIndex)
{
    public static ListChange<T> Added(T item, int index) => new(NotifyCollectionChangedAction.Add, item, default, index, -1);

    public static ListChange<T> Removed(T item, int index) => new(NotifyCollectionChangedAction.Remove, item, default, index, -1);

    public static ListChange<T> Moved(T item, int from, int to) => new(NotifyCollectionChangedAction.Move, item, default, to, from);

    public static ListChange<T> Replaced(T old, T item, int index) => new(NotifyCollectionChangedAction.Replace, item, old, index, -1);

    /// <summary>The event arguments, as <c>ObservableCollection&lt;T&gt;</c> raises them.</summary>
    public NotifyCollectionChangedEventArgs ToEventArgs() => Action switch
    {
        NotifyCollectionChangedAction.Add => new(Action, Item, Index),
        NotifyCollectionChangedAction.Remove => new(Action, Item, Index),
        NotifyCollectionChangedAction.Move => new(Action, Item, Index, OldIndex),
        NotifyCollectionChangedAction.Replace => new(Action, Item, OldItem, Index),
        _ => new(NotifyCollectionChangedAction.Reset),
    };
}
