import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FluxCluster, GitOpsRepo, SealingCertificate } from '../src';

/** A new empty folder under the OS temp dir. */
export function mkdtemp(prefix: string = 'flux-gitops-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The throwaway sealing certificate of the tests. */
export const TEST_CERT = path.join(__dirname, 'fixtures', 'sealing', 'rsa2048.crt');

/** A repo in a new temp folder with one cluster, `dev`, that seals with the test certificate. */
export function devRepo(): { outdir: string; repo: GitOpsRepo; dev: FluxCluster } {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(TEST_CERT) });
  return { outdir, repo, dev };
}

/** Writes a tree of files (relative path → text) into a new temp folder; returns the folder. */
export function writeTree(files: Record<string, string>, prefix: string = 'flux-gitops-'): string {
  const dir = mkdtemp(prefix);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every file below a folder (relative POSIX path → text), sorted. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), rel);
      else out[rel] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** A golden file's text. */
/** Synthesizes one cluster 'dev' that `define` fills, in a fresh folder; returns the tree written. */
export function synthOne(define: (cluster: FluxCluster) => void): Record<string, string> {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir, printWarnings: false });
  define(new FluxCluster(repo, 'dev'));
  repo.synth();
  return readTree(outdir);
}

/** The message of the error `repo.synth()` throws; fails the test when it does not throw. */
export function synthError(repo: GitOpsRepo): string {
  try {
    repo.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

export function golden(name: string): string {
  return fs.readFileSync(path.join(__dirname, 'golden', name), 'utf8');
}

/** Runs fn with console.warn silenced; returns what was warned. */
export function quietly<T>(fn: () => T): T {
  const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

/** Every Kubernetes object in the given files, with the file it is in. */
export function objectsIn(files: Record<string, string>): { file: string; object: any }[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml');
  const out: { file: string; object: any }[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (!file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS();
      if (object && object.apiVersion && object.kind) out.push({ file, object });
    }
  }
  return out;
}

/** The schema violations of every Flux and SealedSecret object in the files (none expected), wherever they are (cluster paths and layer folders). */
export function schemaViolations(files: Record<string, string>): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hasCrdSchema, validateAgainstCrd } = require('../src/checks/schema');
  const out: string[] = [];
  for (const { file, object } of objectsIn(files)) {
    if (object.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    if (!hasCrdSchema(object.apiVersion, object.kind)) {
      // objects of other APIs (a cdk8s-plus Deployment) have no CRD schema to check
      if (!/(^|\.)(toolkit\.fluxcd\.io|bitnami\.com)\//.test(object.apiVersion)) continue;
      out.push(`${file}: no official schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    for (const v of validateAgainstCrd(object)) out.push(`${file}: ${object.kind}/${object.metadata?.name}: ${v}`);
  }
  return out;
}
