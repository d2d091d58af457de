using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;
using Converge.Testing;

namespace Converge.Core.Tests.Merge;

/// <summary>One in-memory replica and two writers on separate nodes sharing one fake clock.</summary>
internal sealed class EngineFixture
{
    public const string PersonSchema = """
        {"person":{"fields":{
            "name":{"type":"string"},
            "age":{"type":"long"},
            "email":{"type":"string","unique":"value"},
            "ssn":{"type":"long","unique":"identity"},
            "tags":{"type":"string","cardinality":"many"},
            "badges":{"type":"string","cardinality":"many","growOnly":true},
            "visits":{"type":"long","counter":true},
            "balance":{"type":"decimal","counter":true},
            "score":{"type":"double"},
            "price":{"type":"decimal"},
            "active":{"type":"bool"},
            "born":{"type":"instant"},
            "token":{"type":"uuid"},
            "friend":{"type":"ref","target":"person"},
            "extra":{"type":"json"}}},
         "note":{"owned":true,"fields":{"text":{"type":"string"}}},
         "blob":{"open":true,"fields":{"title":{"type":"string"}}}}
        """;

    public EngineFixture(bool withSchema = true)
    {
        Time = new FakeTimeProvider();
        A = new ActionFactory(Time, 1);
        B = new ActionFactory(Time, 2);
        if (withSchema)
        {
            Apply(A.Schema(PersonSchema)).Status.ShouldBe(ApplyStatus.Applied);
        }
    }

    public FakeTimeProvider Time { get; }

    public ActionFactory A { get; }

    public ActionFactory B { get; }

    public InMemoryRecordState State { get; } = new();

    /// <summary>Applies an action as new (as the server admits a push); both writers observe its stamp, as replicas that saw it would.</summary>
    public ApplyResult Apply(ConvergeAction action, string? principal = "alice")
    {
        A.Clock.Observe(action.Hlc);
        B.Clock.Observe(action.Hlc);
        return MergeEngine.Apply(State, action, new ApplyContext(principal, IsNew: true));
    }

    /// <summary>Applies an action from the log (not new: the rules only new actions meet do not apply).</summary>
    public ApplyResult Replay(ConvergeAction action, string? principal = "alice") => MergeEngine.Apply(State, action, new ApplyContext(principal));

    public ApplyResult Applied(ConvergeAction action, string? principal = "alice")
    {
        var result = Apply(action, principal);
        result.Rejection.ShouldBeNull();
        return result;
    }

    /// <summary>The user's view of a record (through aliases), or null when absent or deleted.</summary>
    public string? View(string collection, Guid id)
    {
        var record = State.GetRecord(MergeEngine.Resolve(State, collection, id));
        return record is null || record.IsDeleted ? null : RecordView.ToText(RecordSets.Materialize(State, record));
    }

    public string Export() => CanonicalExport.ToText(State);
}
