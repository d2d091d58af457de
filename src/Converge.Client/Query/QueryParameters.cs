using Microsoft.Data.Sqlite;

namespace Converge.Client.Query;

/// <summary>The parameters of one SQL statement under construction: every value goes in as one, never into the text.</summary>
internal sealed class QueryParameters
{
    private readonly List<object> _values = [];

    /// <summary>The values, in the order bound (<c>$p0</c>, <c>$p1</c>, ...).</summary>
    public IReadOnlyList<object> Values => _values;

    /// <summary>Adds a value; returns its name in the SQL text.</summary>
    public string Add(object value)
    {
        _values.Add(value);
        return "$p" + (_values.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Binds the values to a command.</summary>
    public void BindTo(SqliteCommand command)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            command.Parameters.AddWithValue("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _values[i]);
        }
    }
}
