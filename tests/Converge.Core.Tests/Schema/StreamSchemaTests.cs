using Converge.Core.Protocol;
using Converge.Core.Schema;
using Converge.Testing;

namespace Converge.Core.Tests.Schema;

public sealed class StreamSchemaTests
{
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public void Merge_NewCollectionsAndFields_AddsThem()
    {
        var first = StreamSchema.Empty.Merge(Schema("""{"person":{"fields":{"name":{"type":"string"},"age":{"type":"long"}}}}""")).Schema!;

        var merged = first.Merge(Schema("""{"person":{"fields":{"name":{"type":"string"},"ssn":{"type":"long","unique":"identity"}}},"pet":{"fields":{}}}"""));

        merged.IsChange.ShouldBeTrue();
        merged.Schema!.Collections.Keys.ShouldBe(["person", "pet"]);
        merged.Schema.Collections["person"].Fields.Keys.ShouldBe(["age", "name", "ssn"]);
    }

    [Fact]
    public void Merge_SameDeclarationAgain_ChangesNothing()
    {
        var first = StreamSchema.Empty.Merge(Schema("""{"person":{"fields":{"name":{"type":"string"}}}}""")).Schema!;

        var merged = first.Merge(Schema("""{"person":{"fields":{"name":{"type":"string","cardinality":"one"}}}}"""));

        merged.IsChange.ShouldBeFalse();
        merged.Schema.ShouldBeSameAs(first);
    }

    [Theory]
    [InlineData("""{"person":{"fields":{"name":{"type":"long"}}}}""")]
    [InlineData("""{"person":{"fields":{"name":{"type":"string","cardinality":"many"}}}}""")]
    [InlineData("""{"person":{"fields":{"name":{"type":"string","unique":"value"}}}}""")]
    [InlineData("""{"person":{"owned":true,"fields":{}}}""")]
    [InlineData("""{"person":{"open":true,"fields":{}}}""")]
    public void Merge_ChangeToExistingDeclaration_IsSchemaConflict(string change)
    {
        var first = StreamSchema.Empty.Merge(Schema("""{"person":{"fields":{"name":{"type":"string","unique":"identity"}}}}""")).Schema!;

        var merged = first.Merge(Schema(change));

        merged.Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);
        merged.Schema.ShouldBeNull();
    }

    [Fact]
    public void Merge_UniqueFieldAddedToOpenCollection_IsSchemaConflict()
    {
        var first = StreamSchema.Empty.Merge(Schema("""{"notes":{"open":true,"fields":{}}}""")).Schema!;

        first.Merge(Schema("""{"notes":{"open":true,"fields":{"slug":{"type":"string","unique":"value"}}}}""")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);
        first.Merge(Schema("""{"notes":{"open":true,"fields":{"n":{"type":"long","counter":true}}}}""")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);
        first.Merge(Schema("""{"notes":{"open":true,"fields":{"t":{"type":"string","cardinality":"many"}}}}""")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);
        first.Merge(Schema("""{"notes":{"open":true,"fields":{"slug":{"type":"string"}}}}""")).IsChange.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","counter":true}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"long","counter":true,"cardinality":"many"}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","growOnly":true}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","cardinality":"many","unique":"value"}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"json","unique":"value"}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","target":"c"}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","cardinality":"several"}}}}""")]
    [InlineData("""{"c":{"fields":{"n":{"type":"string","unique":"yes"}}}}""")]
    [InlineData("""{"9c":{"fields":{}}}""")]
    public void Decode_InvalidDeclaration_IsInvalidSchema(string collections)
    {
        var wire = System.Text.Json.JsonSerializer.Deserialize("{\"collections\":" + collections + "}", ConvergeJsonContext.Default.SchemaWire)!;

        SchemaCodec.Decode(wire).Error!.Code.ShouldBe(RejectionCodes.InvalidSchema);
    }

    [Fact]
    public void Decode_FieldNamedId_IsReservedField()
    {
        var wire = System.Text.Json.JsonSerializer.Deserialize("""{"collections":{"c":{"fields":{"id":{"type":"string"}}}}}""", ConvergeJsonContext.Default.SchemaWire)!;

        SchemaCodec.Decode(wire).Error!.Code.ShouldBe(RejectionCodes.ReservedField);
    }

    private StreamSchema Schema(string collections) => _factory.Schema(collections).Schema;
}
