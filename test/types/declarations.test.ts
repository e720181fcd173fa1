/**
 * The package as an editor sees it: the built `.d.ts` files. Every field of `Image`, `Snapshot`
 * and `ImageRequirements` shows a doc line on hover, and test/types/fixture.ts compiles against
 * the declarations with each `@ts-expect-error` holding (a misspelt literal, a write to a
 * readonly field).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const INDEX = path.join(ROOT, "dist", "sdk", "nodejs", "index.d.ts");
const FIXTURE = path.join(__dirname, "fixture.ts");

function program(files: string[]): ts.Program {
  return ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: ["node"],
  });
}

describe("the built type declarations", () => {
  const prog = program([INDEX, FIXTURE]);
  const checker = prog.getTypeChecker();
  const index = prog.getSourceFile(INDEX);

  function exported(name: string): ts.Symbol {
    assert.ok(index, "dist/sdk/nodejs/index.d.ts is built");
    const moduleSymbol = checker.getSymbolAtLocation(index);
    assert.ok(moduleSymbol);
    const symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    assert.ok(symbol, `${name} is exported`);
    return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  }

  for (const name of ["Image", "Snapshot", "ImageRequirements"]) {
    it(`shows a doc comment on hover for every field of ${name}`, () => {
      const type = checker.getDeclaredTypeOfSymbol(exported(name));
      const props = type.getProperties();
      assert.ok(props.length >= 5, `${name} has its fields`);
      const undocumented = props
        .filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === "")
        .map((p) => p.name);
      assert.deepEqual(undocumented, [], `${name} fields without a doc comment`);
      assert.ok(ts.displayPartsToString(exported(name).getDocumentationComment(checker)).length > 20, `${name} itself is documented`);
    });
  }

  it("shows every Image field's doc comment on ImageLookup's outputs too", () => {
    const lookup = checker.getDeclaredTypeOfSymbol(exported("ImageLookup"));
    const image = checker.getDeclaredTypeOfSymbol(exported("Image"));
    for (const field of image.getProperties()) {
      const output = lookup.getProperty(field.name);
      assert.ok(output, `ImageLookup has the output ${field.name}`);
      assert.equal(
        ts.displayPartsToString(output.getDocumentationComment(checker)),
        ts.displayPartsToString(field.getDocumentationComment(checker)),
        field.name,
      );
      assert.match(
        checker.typeToString(checker.getTypeOfSymbol(output)),
        /Output(Instance)?</,
        `${field.name}: ${checker.typeToString(checker.getTypeOfSymbol(output))}`,
      );
    }
  });

  it("types every field of Image as declared, not as a zod inference", () => {
    const image = checker.getDeclaredTypeOfSymbol(exported("Image"));
    const osType = image.getProperty("osType");
    assert.ok(osType);
    const type = checker.getTypeOfSymbol(osType);
    const literals = (type.isUnion() ? type.types : [type]).filter((t) => t.isStringLiteral()).map((t) => t.value);
    assert.deepEqual(literals.sort(), ["linux", "windows"]);
    assert.notEqual(checker.typeToString(type), "string");
  });

  it("compiles the fixture: misspelt literals and writes to readonly fields are errors", () => {
    const diagnostics = ts.getPreEmitDiagnostics(prog).filter((d) => d.file?.fileName === FIXTURE || d.file === undefined);
    const text = diagnostics.map(
      (d) =>
        `${d.start !== undefined && d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
    assert.deepEqual(text, []);
  });
});
