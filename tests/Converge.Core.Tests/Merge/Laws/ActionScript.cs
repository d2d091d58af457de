using System.Globalization;
using Converge.Core.Actions;
using Converge.Testing;

namespace Converge.Core.Tests.Merge.Laws;

/// <summary>
/// Turns steps into actions over the person schema of <see cref="EngineFixture"/>: three writers on their own nodes
/// share one fake clock that each step moves (back too, as clocks drift), so stamps interleave as they do in the field.
/// </summary>
internal sealed class ActionScript
{
    private static readonly string[] Names = ["Ann", "Bob", "Cy", "Di"];
    private static readonly string[] Tags = ["red", "green", "blue"];

    private readonly FakeTimeProvider _time = new();
    private readonly ActionFactory[] _writers;
    private readonly List<Guid> _records = [];

    public ActionScript()
    {
        _writers = [new(_time, 1), new(_time, 2), new(_time, 3)];
    }

    public SchemaAction Schema() => _writers[0].Schema(EngineFixture.PersonSchema);

    /// <summary>The actions of the steps, in order.</summary>
    public List<ConvergeAction> Run(IEnumerable<MergeStep> steps) => [.. steps.Select(Next)];

    /// <summary>The action of one step; a create's record becomes one later steps may name.</summary>
    public ConvergeAction Next(MergeStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _time.Advance(TimeSpan.FromMilliseconds(step.AdvanceMs));
        var writer = _writers[step.Writer % _writers.Length];
        var record = _records.Count == 0 ? Guid.CreateVersion7() : _records[step.Record % _records.Count];
        var value = step.Value;
        ConvergeAction action = step.Kind switch
        {
            StepKind.CreatePlain => writer.Create("person", $$"""{"name":"{{Pick(Names, value)}}","visits":0,"tags":[]}"""),
            StepKind.CreateIdentified => writer.Create("person", $$"""{"ssn":{{value % 4}},"name":"{{Pick(Names, step.Value2)}}","badges":["x"]}"""),
            StepKind.UpdateEmail => writer.Update("person", record, $$"""{"email":"{{Pick(Names, value)}}@example.com"}"""),
            StepKind.UpdateUnknown => writer.Update("person", Guid.CreateVersion7(), """{"name":"nobody"}"""),
            StepKind.RemoveBadge => writer.Remove("person", record, "badges", "\"x\""),
            StepKind.UpdateTags => writer.Update("person", record, $$"""{"tags":["{{Pick(Tags, value)}}","{{Pick(Tags, step.Value2)}}"]}"""),
            StepKind.UpdateName => writer.Update("person", record, $$"""{"name":"{{Pick(Names, value)}}"}"""),
            StepKind.UpdateAgeScore => writer.Update("person", record, $$"""{"age":{{value % 100}},"score":{{step.Value2 % 10}}.5}"""),
            StepKind.AddTag => writer.Add("person", record, "tags", $"\"{Pick(Tags, value)}\""),
            StepKind.RemoveTag => writer.Remove("person", record, "tags", $"\"{Pick(Tags, value)}\""),
            StepKind.IncrementVisits => writer.Increment("person", record, "visits", (value % 11) - 5),
            StepKind.IncrementBalance => writer.Increment("person", record, "balance", ((value % 1000) - 500) / 100m),
            StepKind.Delete => writer.Delete("person", record),
            StepKind.UpdateActive => writer.Update("person", record, """{"active":true}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Not a step kind."),
        };

        if (action is CreateAction create)
        {
            _records.Add(create.Record);
        }

        return action;
    }

    private static string Pick(string[] items, int value) => items[value % items.Length].ToString(CultureInfo.InvariantCulture);
}
