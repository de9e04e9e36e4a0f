// Grammar tests: tokenizes fgl snippets with the TextMate grammar (vscode-textmate and
// vscode-oniguruma, the engine VS Code uses) and checks the scopes of chosen tokens.
// Run: npm ci && npm test   (needs only the packages in package-lock.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () =>
    vsctm.parseRawGrammar(
      readFileSync(join(here, '..', 'syntaxes', 'fgl.tmLanguage.json'), 'utf8'),
      'fgl.tmLanguage.json',
    ),
});

/** Every token of `source` as [text, innermost scope]. */
async function tokens(source) {
  const grammar = await registry.loadGrammar('source.fgl');
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of source.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      out.push([line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1], t.scopes]);
    }
    state = result.ruleStack;
  }
  return out;
}

function scopeOf(toks, text) {
  const found = toks.find(([t]) => t === text);
  assert.ok(found, `a token ${JSON.stringify(text)} in ${JSON.stringify(toks.map(([t]) => t))}`);
  return found[1];
}

test('keywords, declarations and types', async () => {
  const toks = await tokens('import "std/aws"\nresource Thing { name: String }\nparam tag: String = "x"');
  assert.equal(scopeOf(toks, 'import'), 'keyword.control.import.fgl');
  assert.equal(scopeOf(toks, 'resource'), 'storage.type.fgl');
  assert.equal(scopeOf(toks, 'Thing'), 'entity.name.type.fgl');
  assert.equal(scopeOf(toks, 'String'), 'support.type.builtin.fgl');
  assert.equal(scopeOf(toks, 'param'), 'storage.modifier.fgl');
});

test('bindings, keys, numbers and constants', async () => {
  const toks = await tokens('web = aws.Container { cpu = 256, public = true, port = null }');
  assert.equal(scopeOf(toks, 'web'), 'variable.other.definition.fgl');
  assert.equal(scopeOf(toks, 'Container'), 'entity.name.type.fgl');
  assert.equal(scopeOf(toks, 'cpu'), 'variable.other.property.fgl');
  assert.equal(scopeOf(toks, '256'), 'constant.numeric.integer.fgl');
  assert.equal(scopeOf(toks, 'true'), 'constant.language.boolean.fgl');
  assert.equal(scopeOf(toks, 'null'), 'constant.language.null.fgl');
});

test('strings with escapes and interpolation', async () => {
  const toks = await tokens('x = "a\\n${len(xs) + 1} b"');
  assert.equal(scopeOf(toks, '\\n'), 'constant.character.escape.fgl');
  assert.equal(scopeOf(toks, '${'), 'punctuation.section.interpolation.begin.fgl');
  assert.equal(scopeOf(toks, 'len'), 'support.function.builtin.fgl');
  const one = toks.find(([t]) => t === '1');
  assert.ok(one[2].includes('meta.interpolation.fgl'));
  assert.equal(scopeOf(toks, ' b'), 'string.quoted.double.fgl');
});

test('comments and doc comments', async () => {
  const toks = await tokens('## The front end.\nweb = 1  # a note');
  assert.equal(scopeOf(toks, '## The front end.'), 'comment.line.documentation.fgl');
  assert.equal(scopeOf(toks, '# a note'), 'comment.line.number-sign.fgl');
});

test('multi-line strings span lines', async () => {
  const toks = await tokens('motd = """\n  Hello ${name},\n  """\nafter = 1');
  assert.equal(scopeOf(toks, 'name'), 'source.fgl.embedded');
  assert.equal(scopeOf(toks, 'after'), 'variable.other.definition.fgl');
});

test('every example file tokenizes without invalid tokens', async () => {
  const example = readFileSync(join(here, '..', '..', '..', 'examples', 'webapp.fgl'), 'utf8');
  const toks = await tokens(example);
  assert.ok(toks.length > 100);
  assert.deepEqual(toks.filter(([, s]) => s.startsWith('invalid')), []);
});
