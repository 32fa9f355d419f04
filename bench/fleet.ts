/**
 * npm run bench: synth and check of a fleet (3 clusters × 100 HelmRepositories, 1,000
 * HelmReleases and 300 SealedSecrets, 4096-bit certificate), side by side with the same objects
 * as cdk8s ApiObjects in a plain cdk8s App and with `yaml` stringify plus file writes (the floor).
 * Each measurement runs in a fresh process (peak memory is its own); the table shows medians.
 * BENCH_RUNS (default 5) sets the runs per cell; results go to .bench/results.{json,md}.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Measurement { ms: number; maxRssMb: number; [k: string]: unknown }

const RUNS = Number(process.env.BENCH_RUNS ?? '5');
const ROOT = path.join(__dirname, '..');

function once(scenario: string, scale: number): Measurement {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run-one.ts'), scenario, String(scale)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${scenario} ×${scale} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  // Round robin: every cell once per round, so that the machine's noise falls on all cells alike.
  const cells: [string, number][] = [];
  for (const scale of [0.5, 1, 2]) for (const s of ['ours', 'cdk8s', 'floor']) cells.push([s, scale]);
  for (const s of ['ours-resynth', 'check', 'check-big-file', 'check-big-manifests', 'seal']) cells.push([s, 1]);
  const runs = new Map<string, Measurement[]>();
  for (let round = 1; round <= RUNS; round++) {
    process.stderr.write(`round ${round}/${RUNS}: ${cells.length} measurements…\n`);
    for (const [s, scale] of cells) {
      const key = `${s}@${scale}`;
      runs.set(key, [...(runs.get(key) ?? []), once(s, scale)]);
    }
  }
  const results: Record<string, Measurement> = {};
  for (const [key, ms] of runs) {
    results[key] = { ...ms[0], ms: median(ms.map((m) => m.ms)), maxRssMb: Math.max(...ms.map((m) => m.maxRssMb)) };
  }
  // Per-round ratios, then their median: robust to a slow round.
  const roundRatio = (a: string, b: string) => median(runs.get(a)!.map((m, i) => m.ms / runs.get(b)![i].ms));

  const r = (k: string) => results[k];
  const growth = (s: string) => roundRatio(`${s}@2`, `${s}@1`);
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}; ${RUNS} runs per cell, median time, peak RSS of the worst run, ratios as the median of per-round ratios; output on ${fs.existsSync('/dev/shm') ? 'tmpfs (/dev/shm)' : os.tmpdir()}.`,
    '',
    '| what | fleet | objects | time (ms) | peak memory (MiB) |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  const labels: Record<string, string> = {
    'ours': '(a) cdk8s-flux-gitops synth (validate, seal, write, record)',
    'cdk8s': '(b) plain cdk8s App of ApiObjects (sealed with the same code)',
    'floor': '(c) floor: yaml stringify + file writes (sealed with the same code)',
    'check': '(d) repository check over the synthesized fleet',
    'check-big-file': '(d′) repository check of one 10 MB YAML file (one ConfigMap of 176,000 keys)',
    'check-big-manifests': '(d″) repository check of one 10 MB YAML file (15,800 Deployments)',
    'seal': '(e) sealing alone (900 values, 4096-bit)',
    'ours-resynth': '(a′) re-synth of the unchanged fleet',
  };
  for (const [key, m] of Object.entries(results)) {
    const [scenario, scale] = key.split('@');
    lines.push(`| ${labels[scenario]} | ${scale}× | ${m.objects} | ${Math.round(m.ms)} | ${m.maxRssMb} |`);
  }
  lines.push('', '| ratio | value | target |', '| --- | ---: | --- |');
  lines.push(`| ours / plain cdk8s (1×) | ${roundRatio('ours@1', 'cdk8s@1').toFixed(2)} | ≤ 1.5 |`);
  lines.push(`| ours / floor (1×) | ${roundRatio('ours@1', 'floor@1').toFixed(2)} | ≤ 3 |`);
  lines.push(`| ours 2× / 1× (time) | ${growth('ours').toFixed(2)} (exponent ${Math.log2(growth('ours')).toFixed(2)}) | ≤ 2.2 |`);
  lines.push(`| cdk8s 2× / 1× (time) | ${growth('cdk8s').toFixed(2)} (exponent ${Math.log2(growth('cdk8s')).toFixed(2)}) | — |`);
  lines.push(`| floor 2× / 1× (time) | ${growth('floor').toFixed(2)} (exponent ${Math.log2(growth('floor')).toFixed(2)}) | — |`);
  lines.push(`| peak memory, ours at 1× | ${r('ours@1').maxRssMb} MiB | < 1024 MiB |`);
  lines.push(`| files rewritten by a re-synth of the unchanged fleet | ${r('ours-resynth@1').rewritten} | 0 |`);
  lines.push(`| check of a 10 MB file, the slower shape | ${Math.round(Math.max(r('check-big-file@1').ms, r('check-big-manifests@1').ms))} ms | < 3000 ms |`);
  const text = lines.join('\n') + '\n';
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench', 'results.json'), JSON.stringify(results, undefined, 2) + '\n');
  fs.writeFileSync(path.join(ROOT, '.bench', 'results.md'), text);
  process.stdout.write(text);
}

main();
