// Bundles the official Flux and sealed-secrets CRD validators into one CommonJS file.
//
// @kubernetes-models/flux-cd and @kubernetes-models/sealed-secrets ship pre-compiled ajv
// validators as ESM only, which neither Node 20's require() nor jest's CommonJS runtime can load.
// This script finds every model (apiVersion, kind, validator) in the pinned packages and has
// esbuild bundle them into lib/vendor/flux-schemas.cjs, which src/checks/schema.ts requires (the
// package ships lib/, so the bundle is in every tarball).
// The validators do not refuse fields a schema does not declare, so the script also reads the
// packages' type declarations (.d.ts, made from the same CRDs) with the TypeScript compiler and
// bundles each kind's tree of declared fields (metadata is ObjectMeta).
// It runs in compile, before the tests and in package:js (projen tasks), and does nothing when the
// bundle is newer than its inputs.
import * as esbuild from 'esbuild';
import ts from 'typescript';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'lib', 'vendor', 'flux-schemas.cjs');
const packages = ['@kubernetes-models/flux-cd', '@kubernetes-models/sealed-secrets'];
const inputs = [fileURLToPath(import.meta.url), ...packages.map((p) => path.join(root, 'node_modules', p, 'package.json'))];

if (fs.existsSync(out)) {
  const built = fs.statSync(out).mtimeMs;
  if (inputs.every((f) => fs.statSync(f).mtimeMs <= built)) process.exit(0);
}

const MODEL = /this\.apiVersion="([^"]+)"\}static\{this\.kind="([^"]+)"\}.*?setValidateFunc\(\w+,validate\)/s;
const IMPORT = /import\{validate\}from"([^"]+)"/;

const models = [];
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '_schemas' && e.name !== 'node_modules') walk(p);
    } else if (e.name.endsWith('.js')) {
      const text = fs.readFileSync(p, 'utf8');
      const m = MODEL.exec(text);
      const i = IMPORT.exec(text);
      if (m && i && !m[2].endsWith('List')) {
        models.push({ apiVersion: m[1], kind: m[2], file: path.resolve(path.dirname(p), i[1]), types: p.replace(/\.js$/, '.d.ts') });
      }
    }
  }
}
for (const p of packages) walk(path.join(root, 'node_modules', p));
models.sort((a, b) => `${a.apiVersion}/${a.kind}`.localeCompare(`${b.apiVersion}/${b.kind}`));
if (models.length < 10) {
  console.error(`bundle-schemas: found only ${models.length} models in ${packages.join(', ')}; did npm ci run?`);
  process.exit(1);
}

/*
 * The declared fields of every kind, from its interface I<Kind> in <Kind>.d.ts: a table of nodes,
 * each { p: { field: node } } with m: node for a map's values; -1 is a value whose insides are not
 * checked (a scalar, or a free-form object such as HelmRelease spec.values). Lists are their items.
 */
function fieldTrees() {
  const program = ts.createProgram(models.map((m) => m.types), {
    noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [],
  });
  const checker = program.getTypeChecker();
  const nodes = [];
  const ids = new Map();
  const scalar = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike
    | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Never;
  const nodeOf = (type) => {
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (members.length !== 1) return -1; // string | number (IntOrString, Quantity) and literal unions
      type = members[0];
    }
    if (type.flags & scalar) return -1;
    if (checker.isArrayType(type) || checker.isTupleType(type)) return nodeOf(checker.getTypeArguments(type)[0]);
    if (ids.has(type)) return ids.get(type);
    const props = checker.getPropertiesOfType(type);
    const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (props.length === 0 && !index) return -1; // free-form (x-kubernetes-preserve-unknown-fields)
    const id = nodes.length;
    const node = { p: {} };
    nodes.push(node);
    ids.set(type, id);
    for (const prop of props) node.p[prop.getName()] = nodeOf(checker.getTypeOfSymbol(prop));
    if (index) node.m = nodeOf(index);
    return id;
  };
  const roots = {};
  for (const m of models) {
    const source = program.getSourceFile(m.types);
    const symbol = source && checker.getSymbolAtLocation(source);
    const iface = symbol && checker.getExportsOfModule(symbol).find((e) => e.getName() === `I${m.kind}`);
    if (!iface) {
      console.error(`bundle-schemas: no interface I${m.kind} in ${m.types}`);
      process.exit(1);
    }
    roots[`${m.apiVersion}/${m.kind}`] = nodeOf(checker.getDeclaredTypeOfSymbol(iface));
  }
  return { nodes, roots };
}
const fields = fieldTrees();

const entry = [
  ...models.map((m, i) => `import { validate as v${i} } from ${JSON.stringify(m.file)};`),
  'const validators = {',
  ...models.map((m, i) => `  ${JSON.stringify(`${m.apiVersion}/${m.kind}`)}: v${i},`),
  '};',
  'export const kinds = Object.keys(validators);',
  'export function validator(apiVersion, kind) { return validators[`${apiVersion}/${kind}`]; }',
  `export const fieldNodes = ${JSON.stringify(fields.nodes)};`,
  `export const fieldRoots = ${JSON.stringify(fields.roots)};`,
].join('\n');

fs.mkdirSync(path.dirname(out), { recursive: true });
await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'flux-schemas-entry.mjs', loader: 'js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'inline',
  outfile: out,
  banner: { js: `// Generated by scripts/bundle-schemas.mjs from ${packages.map((p) => `${p}@${JSON.parse(fs.readFileSync(path.join(root, 'node_modules', p, 'package.json'), 'utf8')).version}`).join(', ')}. Do not edit.` },
  logLevel: 'warning',
});
console.log(`bundle-schemas: ${models.length} kinds (${fields.nodes.length} field types) -> ${path.relative(root, out)}`);
