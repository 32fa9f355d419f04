import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { defineFleet } from '../../examples/fleet';
import { RepositoryCheck } from '../../src';
import { mkdtemp, quietly, readTree, schemaViolations } from '../util';

const HAS_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('examples/fleet.ts (the layout of flux2-kustomize-helm-example)', () => {
  let outdir: string;
  let files: Record<string, string>;

  beforeAll(() => {
    outdir = mkdtemp();
    quietly(() => defineFleet(outdir).synth());
    files = readTree(outdir);
  });

  test('writes the clusters, the shared infrastructure and the apps of each cluster', () => {
    expect(Object.keys(files).filter((f) => !f.startsWith('.'))).toEqual([
      'apps/production/hello.k8s.yaml',
      'apps/production/helm/releases/podinfo.yaml',
      'apps/production/helm/repositories/podinfo.yaml',
      'apps/production/kustomization.yaml',
      'apps/production/podinfo-namespace.k8s.yaml',
      'apps/staging/hello.k8s.yaml',
      'apps/staging/helm/releases/podinfo.yaml',
      'apps/staging/helm/repositories/podinfo.yaml',
      'apps/staging/kustomization.yaml',
      'apps/staging/podinfo-namespace.k8s.yaml',
      'clusters/production/apps.yaml',
      'clusters/production/flux-system/gotk-sync.yaml',
      'clusters/production/flux-system/kustomization.yaml',
      'clusters/production/infra-configs.yaml',
      'clusters/production/infra-controllers.yaml',
      'clusters/production/kustomization.yaml',
      'clusters/staging/apps.yaml',
      'clusters/staging/flux-system/gotk-sync.yaml',
      'clusters/staging/flux-system/kustomization.yaml',
      'clusters/staging/infra-configs.yaml',
      'clusters/staging/infra-controllers.yaml',
      'clusters/staging/kustomization.yaml',
      'infrastructure/configs/cluster-issuers.k8s.yaml',
      'infrastructure/configs/kustomization.yaml',
      'infrastructure/controllers/cert-manager-namespace.k8s.yaml',
      'infrastructure/controllers/helm/releases/cert-manager.yaml',
      'infrastructure/controllers/helm/repositories/cert-manager.yaml',
      'infrastructure/controllers/kustomization.yaml',
    ]);
  });

  test('the layers depend on each other, and each cluster gets its own values, versions and patches', () => {
    expect(files['clusters/staging/apps.yaml']).toContain('  dependsOn:\n  - name: infra-configs\n');
    expect(files['clusters/staging/infra-configs.yaml']).toContain('  dependsOn:\n  - name: infra-controllers\n');
    expect(files['clusters/staging/infra-configs.yaml']).toContain('value: https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(files['clusters/production/infra-configs.yaml']).not.toContain('patches');
    expect(files['apps/staging/helm/releases/podinfo.yaml']).toContain('version: \'>=1.0.0-alpha\'');
    expect(files['apps/production/helm/releases/podinfo.yaml']).toContain('version: 6.x');
    expect(files['apps/production/hello.k8s.yaml']).toContain('  replicas: 3\n');
  });

  test('every Flux object passes the official schema, and the repository check finds no error', () => {
    expect(schemaViolations(files)).toEqual([]);
    const report = RepositoryCheck.run(outdir);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('kubectl kustomize builds every path a Kustomization applies', () => {
    if (!HAS_KUBECTL) return; // optional: runs where kubectl is installed
    const copy = mkdtemp();
    fs.cpSync(outdir, copy, { recursive: true });
    for (const env of ['staging', 'production']) {
      fs.writeFileSync(path.join(copy, `clusters/${env}/flux-system/gotk-components.yaml`), '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    }
    for (const p of ['clusters/staging', 'clusters/production', 'infrastructure/controllers', 'infrastructure/configs', 'apps/staging', 'apps/production']) {
      const r = spawnSync('kubectl', ['kustomize', path.join(copy, p)], { encoding: 'utf8' });
      expect({ path: p, stderr: r.stderr, status: r.status }).toEqual({ path: p, stderr: '', status: 0 });
    }
  });

  test('a second synth writes nothing', () => {
    const again = quietly(() => defineFleet(outdir).synth());
    expect(again.written).toEqual([]);
    expect(again.removed).toEqual([]);
  });
});
