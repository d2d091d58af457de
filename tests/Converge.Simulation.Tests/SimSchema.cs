using System.Text;
using Converge.Core.Export;
using Converge.Core.Schema;

namespace Converge.Simulation.Tests;

/// <summary>The simulated stream's schema: every field kind, unique identity and value, an owned and an open collection.</summary>
internal static class SimSchema
{
    public static readonly StreamSchema Schema = SchemaJson.Deserialize(Encoding.UTF8.GetBytes("""
        {"collections":{
          "person":{"fields":{
            "name":{"type":"string"},
            "email":{"type":"string","unique":"identity"},
            "phone":{"type":"string","unique":"value"},
            "age":{"type":"long"},
            "score":{"type":"double"},
            "balance":{"type":"decimal"},
            "active":{"type":"bool"},
            "born":{"type":"instant"},
            "token":{"type":"uuid"},
            "friend":{"type":"ref","target":"person"},
            "extra":{"type":"json"},
            "tags":{"type":"string","cardinality":"many"},
            "badges":{"type":"string","cardinality":"many","growOnly":true},
            "visits":{"type":"long","counter":true},
            "credit":{"type":"decimal","counter":true}}},
          "note":{"owned":true,"fields":{"text":{"type":"string"}}},
          "blob":{"open":true,"fields":{"title":{"type":"string"}}}}}
        """));
}
