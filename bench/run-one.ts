/**
 * One measurement, in a fresh process so that peak memory is its own:
 *   node -r ts-node/register/transpile-only bench/run-one.ts SCENARIO SCALE
 * prints {"ms": …, "maxRssMb": …, …} on the last line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { stringify } from 'yaml';
import { defineFleet, plainFleet, secretValue, shape, CERTIFICATE } from './fleet-definition';
import { RepositoryCheck, SealingCertificate } from '../src';
import { sealValue } from '../src/sealing/hybrid';

const [scenario, scaleText] = process.argv.slice(2);
const scale = Number(scaleText ?? '1');
const f = shape(scale);
// On tmpfs where there is one, so that the disk's write-back noise does not swamp the measurement.
const base = process.env.BENCH_DIR ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
const tmp = fs.mkdtempSync(path.join(base, `bench-${scenario}-`));
const certificate = SealingCertificate.fromFile(CERTIFICATE);
const seal = (c: number, s: number) => sealValue(certificate, 'strict', 'flux-system', `secret-${s}`, Buffer.from(secretValue(c, s)));

function write(rel: string, text: string): void {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

/** The measured part of the check cases: the repository check of the folder, its CPU time and what it found. */
function timeCheck(): void {
  start = performance.now();
  const cpu = process.cpuUsage();
  const report = RepositoryCheck.run(tmp);
  const used = process.cpuUsage(cpu);
  result.cpuMs = Math.round((used.user + used.system) / 1000);
  result.checkedObjects = report.objects;
  result.errors = report.errors;
}

const result: Record<string, unknown> = { scenario, scale, objects: f.clusters * (f.repositories + f.releases + f.secrets) };
let start = performance.now();
switch (scenario) {
  case 'ours': {
    const r = defineFleet(tmp, f).synth();
    result.files = r.files.length;
    break;
  }
  case 'ours-resynth': {
    defineFleet(tmp, f).synth();
    start = performance.now();
    const r = defineFleet(tmp, f).synth();
    result.rewritten = r.written.length;
    break;
  }
  case 'cdk8s': {
    const app = new App({ outdir: tmp, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const fleet = plainFleet(f, seal);
    const charts = new Map<string, Chart>();
    fleet.files.forEach(({ path: p, object }, i) => {
      const cluster = p.split('/')[1];
      let chart = charts.get(cluster);
      if (!chart) charts.set(cluster, chart = new Chart(app, cluster));
      const { apiVersion, kind, metadata, ...rest } = object;
      new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
    });
    app.synth();
    break;
  }
  case 'floor': {
    for (const { path: p, object } of plainFleet(f, seal).files) write(p, '---\n' + stringify(object, { sortMapEntries: true }));
    break;
  }
  case 'check': {
    defineFleet(tmp, f).synth();
    timeCheck();
    break;
  }
  case 'check-big-file': {
    // One hand-written ConfigMap of `scale` × 10 MB (one mapping of ~176,000 keys) in a cluster folder.
    const keys: string[] = [];
    let size = 0;
    for (let i = 0; size < scale * 10e6; i++) {
      const line = `  key${i}: "value number ${i} with some padding text"\n`;
      keys.push(line);
      size += line.length;
    }
    write('clusters/dev/big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n${keys.join('')}`);
    result.bytes = size;
    timeCheck();
    break;
  }
  case 'check-big-manifests': {
    // `scale` × 10 MB of Deployments in one multi-document file (~15,800 objects), as a rendered chart or a kubectl export has them.
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < scale * 10e6; i++) {
      const doc = [
        '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: app-${i}`, '  namespace: default', '  labels:',
        `    app.kubernetes.io/name: app-${i}`, '  annotations:', `    example.com/owner: "team-${i % 17}"`, 'spec:', `  replicas: ${(i % 5) + 1}`,
        '  selector:', '    matchLabels:', `      app.kubernetes.io/name: app-${i}`, '  template:', '    metadata:', '      labels:',
        `        app.kubernetes.io/name: app-${i}`, '    spec:', '      containers:', '      - name: app', `        image: "ghcr.io/acme/app-${i}:1.${i % 9}.0"`,
        '        args: ["--port=8080", "--verbose"]', '        env:', '        - name: LIMIT', `          value: "${i}"`, '        resources:', '          limits:',
        '            cpu: 500m', '            memory: 256Mi', '',
      ].join('\n');
      docs.push(doc);
      size += doc.length;
    }
    write('clusters/dev/big.yaml', docs.join(''));
    result.bytes = size;
    timeCheck();
    break;
  }
  case 'seal': {
    let n = 0;
    for (let c = 0; c < f.clusters; c++) for (let s = 0; s < f.secrets; s++, n++) seal(c, s);
    result.sealed = n;
    break;
  }
  default:
    throw new Error(`unknown scenario '${scenario}': ours, ours-resynth, cdk8s, floor, check, check-big-file, check-big-manifests, seal`);
}
result.ms = Math.round((performance.now() - start) * 10) / 10;
result.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify(result));
