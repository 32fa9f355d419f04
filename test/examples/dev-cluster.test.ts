import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { defineRepo, provideDemoSecrets } from '../../examples/dev-cluster';
import { unseal } from '../sealing/unseal';
import { mkdtemp, objectsIn, quietly, readTree, schemaViolations } from '../util';

const KEY = path.join(__dirname, '..', 'fixtures', 'sealing', 'rsa4096.key');
const DEMO_VARS = ['GRAFANA_ADMIN_PASSWORD', 'DO_SPACES_ACCESS_KEY_ID', 'DO_SPACES_SECRET_ACCESS_KEY', 'DO_API_TOKEN'];

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

describe('examples/dev-cluster.ts (the tutorial\'s dev cluster)', () => {
  const saved: Record<string, string | undefined> = {};
  let outdir: string;
  let files: Record<string, string>;

  beforeAll(() => {
    for (const v of DEMO_VARS) saved[v] = process.env[v];
    for (const v of DEMO_VARS) delete process.env[v];
    outdir = mkdtemp();
    provideDemoSecrets(outdir);
    quietly(() => defineRepo(outdir).synth());
    files = readTree(outdir);
  });

  afterAll(() => {
    for (const v of DEMO_VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  test('writes the tutorial\'s tree', () => {
    expect(Object.keys(files).filter((f) => f.startsWith('clusters/')).sort()).toEqual([
      'clusters/dev/flux-system/gotk-sync.yaml',
      'clusters/dev/flux-system/kustomization.yaml',
      'clusters/dev/helm/releases/ambassador-stack.yaml',
      'clusters/dev/helm/releases/cert-manager.yaml',
      'clusters/dev/helm/releases/ingress-nginx.yaml',
      'clusters/dev/helm/releases/kube-prometheus-stack.yaml',
      'clusters/dev/helm/releases/loki-stack.yaml',
      'clusters/dev/helm/releases/sealed-secrets-controller.yaml',
      'clusters/dev/helm/releases/velero-stack.yaml',
      'clusters/dev/helm/repositories/ambassador.yaml',
      'clusters/dev/helm/repositories/grafana.yaml',
      'clusters/dev/helm/repositories/jetstack.yaml',
      'clusters/dev/helm/repositories/kubernetes-community-nginx.yaml',
      'clusters/dev/helm/repositories/prometheus-community.yaml',
      'clusters/dev/helm/repositories/sealed-secrets.yaml',
      'clusters/dev/helm/repositories/vmware-tanzu.yaml',
      'clusters/dev/helm/secrets-kustomization.yaml',
      'clusters/dev/helm/secrets/cert-manager-values-sealed.yaml',
      'clusters/dev/helm/secrets/do-api-credentials-sealed.yaml',
      'clusters/dev/helm/secrets/do-spaces-credentials-sealed.yaml',
      'clusters/dev/helm/secrets/kustomization.yaml',
      'clusters/dev/helm/secrets/prometheus-stack-credentials-sealed.yaml',
      'clusters/dev/kustomization.yaml',
    ]);
  });

  test('every object passes the official Flux and SealedSecret CRD schemas', () => {
    expect(objectsIn(files).length).toBeGreaterThanOrEqual(20);
    expect(schemaViolations(files)).toEqual([]);
  });

  test('the repository check finds no error in what synth wrote (only that flux bootstrap has not run yet)', () => {
    const report = defineRepo(outdir).check();
    expect(report.errors).toBe(0);
    expect(report.findings.map((f) => `${f.severity} ${f.rule} ${f.file}`)).toEqual(['warning missing-resource clusters/dev/flux-system/kustomization.yaml']);
    expect(report.objects).toBe(21);
  });

  test('every sealed value decrypts with the controller\'s key (independent implementation)', () => {
    const expected: Record<string, Record<string, string>> = {
      'prometheus-stack-credentials': { grafana_admin_password: 'demo-grafana-admin-password' },
      'do-spaces-credentials': { access_key_id: 'DEMOACCESSKEYID0000', secret_access_key: 'demo-spaces-secret-access-key' },
      'do-api-credentials': { do_api_token: 'demo-digitalocean-api-token' },
      'cert-manager-values': { 'values.yaml': fs.readFileSync(path.join(outdir, 'cert-manager-values-v1.8.0.yaml'), 'utf8') },
    };
    for (const [name, data] of Object.entries(expected)) {
      const object = parseAllDocuments(files[`clusters/dev/helm/secrets/${name}-sealed.yaml`])[0].toJS();
      const result = unseal(KEY, object);
      expect(result).toEqual({ ok: true, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)])) });
    }
  });

  test('no plain text of any secret is in the tree (nor its base64), and the values file is git-ignored', () => {
    const tree = Object.entries(files).filter(([f]) => f !== 'cert-manager-values-v1.8.0.yaml').map(([, t]) => t).join('\n');
    for (const s of ['demo-grafana-admin-password', 'DEMOACCESSKEYID0000', 'demo-spaces-secret-access-key', 'demo-digitalocean-api-token', 'demo-webhook-secret']) {
      expect(tree).not.toContain(s);
      expect(tree).not.toContain(Buffer.from(s).toString('base64'));
    }
    const ignore = files['.gitignore'].split('\n');
    expect(ignore.indexOf('*-values-*.yaml')).toBeGreaterThanOrEqual(0);
    expect(ignore.indexOf('!*-sealed.yaml')).toBeGreaterThan(ignore.indexOf('*-values-*.yaml'));
  });

  test('every scalar reads the same under YAML 1.1 and YAML 1.2', () => {
    for (const [file, text] of Object.entries(files)) {
      if (!file.endsWith('.yaml')) continue;
      const v11 = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
      const v12 = parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS());
      expect([file, v11]).toEqual([file, v12]);
    }
  });

  test('a YAML 1.1 reader (PyYAML) reads every file as the YAML 1.2 reader does', () => {
    const py = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
    if (py.status !== 0) return; // PyYAML not installed: the 1.1 check above still ran
    const yamlFiles = Object.fromEntries(Object.entries(files).filter(([f]) => f.endsWith('.yaml')));
    const script = 'import sys, json, yaml\nfiles = json.load(sys.stdin)\nprint(json.dumps({f: list(yaml.safe_load_all(t)) for f, t in files.items()}))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(yamlFiles), encoding: 'utf8' });
    expect(r.stderr).toEqual('');
    const byPython = JSON.parse(r.stdout);
    for (const [file, text] of Object.entries(yamlFiles)) {
      expect([file, byPython[file]]).toEqual([file, parseAllDocuments(text).map((d) => d.toJS())]);
    }
  });

  test('a second synth changes no byte', () => {
    const again = quietly(() => defineRepo(outdir).synth());
    expect(again.written).toEqual([]);
    expect(readTree(outdir)).toEqual(files);
  });

  test('kubectl kustomize builds the cluster path without the SealedSecrets, which their own Kustomization applies', () => {
    if (!hasKubectl()) return; // optional: runs where kubectl is installed
    const copy = mkdtemp();
    fs.cpSync(outdir, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'clusters/dev/flux-system/gotk-components.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    const r = spawnSync('kubectl', ['kustomize', path.join(copy, 'clusters/dev')], { encoding: 'utf8' });
    expect(r.stderr).toEqual('');
    expect(r.status).toBe(0);
    const kinds = parseAllDocuments(r.stdout).map((d) => `${d.get('kind')}/${(d.toJS() as any).metadata.name}`);
    expect(kinds.filter((k) => k.startsWith('SealedSecret/'))).toEqual([]);
    expect(kinds).toContain('HelmRelease/sealed-secrets-controller');
    expect(kinds).toContain('Kustomization/helm-secrets');
    expect(kinds).toContain('GitRepository/flux-system');
    expect(kinds.filter((k) => k.startsWith('HelmRelease/'))).toHaveLength(7);
    expect(kinds.filter((k) => k.startsWith('HelmRepository/'))).toHaveLength(7);
  });

  test('the Quick start\'s command writes into ./out, a folder the library repo\'s .gitignore ignores as a whole', () => {
    const root = path.join(__dirname, '..', '..');
    const rel = `out/quick-start-test-${process.pid}`;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const v of DEMO_VARS) delete env[v];
      const r = spawnSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--project', 'test/tsconfig.json', 'examples/dev-cluster.ts', rel], { cwd: root, encoding: 'utf8', env });
      expect(r.stderr).not.toContain('SynthError');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('clusters/dev/\n');
      expect(r.stdout).toContain('  helm/releases/cert-manager.yaml  (written)\n');
    } finally {
      fs.rmSync(path.join(root, rel), { recursive: true, force: true });
    }
  }, 60_000);
});
