import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { CrdsPolicy, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealedSecret, SealingCertificate, SecretValue } from '../src';

/** The benchmark fleet: per cluster, this many of each (scaled by `scale`). */
export const PER_CLUSTER = { repositories: 100, releases: 1000, secrets: 300 };
export const CLUSTERS = 3;

export const CERTIFICATE = path.join(__dirname, '..', 'test', 'fixtures', 'sealing', 'rsa4096.crt');

export interface FleetShape {
  readonly clusters: number;
  readonly repositories: number;
  readonly releases: number;
  readonly secrets: number;
}

export function shape(scale: number): FleetShape {
  return {
    clusters: CLUSTERS,
    repositories: Math.round(PER_CLUSTER.repositories * scale),
    releases: Math.round(PER_CLUSTER.releases * scale),
    secrets: Math.round(PER_CLUSTER.secrets * scale),
  };
}

/** The plain objects of the fleet, as any writer would emit them (ciphertexts filled in by `seal`). */
export interface PlainFleet {
  readonly files: { path: string; object: any }[];
}

export function secretValue(c: number, s: number): string {
  return `password-${c}-${s}-${'x'.repeat(24)}`;
}

/** The fleet as cdk8s-flux-gitops constructs. */
export function defineFleet(outdir: string, f: FleetShape): GitOpsRepo {
  const repo = new GitOpsRepo({ outdir });
  const certificate = SealingCertificate.fromFile(CERTIFICATE);
  for (let c = 0; c < f.clusters; c++) {
    const cluster = new FluxCluster(repo, `cluster-${c}`, { sealingCertificate: certificate });
    const repos: HelmRepository[] = [];
    for (let r = 0; r < f.repositories; r++) {
      repos.push(new HelmRepository(cluster, `repo-${r}`, { url: `https://charts-${r}.example.com/stable`, interval: Duration.minutes(10) }));
    }
    const secrets: SealedSecret[] = [];
    for (let s = 0; s < f.secrets; s++) {
      secrets.push(new SealedSecret(cluster, `secret-${s}`, { data: { password: SecretValue.unsafePlainText(secretValue(c, s)) } }));
    }
    for (let h = 0; h < f.releases; h++) {
      new HelmRelease(cluster, `release-${h}`, {
        repository: repos[h % repos.length],
        chart: `app-${h}`,
        version: `1.${h % 20}.${h % 7}`,
        releaseName: `app-${h}`,
        targetNamespace: `team-${h % 10}`,
        createNamespace: true,
        crds: CrdsPolicy.CREATE_REPLACE,
        installRetries: 3,
        upgradeRetries: 3,
        values: releaseValues(h),
        valuesFrom: h < secrets.length ? [secrets[h].valuesReference({ valuesKey: 'password', targetPath: 'auth.password' })] : undefined,
      });
    }
  }
  return repo;
}

export function releaseValues(h: number): Record<string, any> {
  return {
    replicaCount: 1 + (h % 3),
    image: { repository: `ghcr.io/acme/app-${h}`, tag: `v1.${h % 10}.0`, pullPolicy: 'IfNotPresent' },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    ingress: { enabled: h % 2 === 0, hosts: [{ host: `app-${h}.example.com`, paths: ['/'] }] },
    featureFlags: { on: 'on', legacy: 'no' },
  };
}

/** The same objects as plain data: what a user writing YAML (or ApiObjects) would produce. */
export function plainFleet(f: FleetShape, seal: (c: number, s: number) => string): PlainFleet {
  const files: { path: string; object: any }[] = [];
  for (let c = 0; c < f.clusters; c++) {
    const base = `clusters/cluster-${c}/helm`;
    for (let r = 0; r < f.repositories; r++) {
      files.push({ path: `${base}/repositories/repo-${r}.yaml`, object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: `repo-${r}`, namespace: 'flux-system' }, spec: { interval: '10m0s', url: `https://charts-${r}.example.com/stable` } } });
    }
    for (let s = 0; s < f.secrets; s++) {
      const name = `secret-${s}`;
      files.push({
        path: `${base}/secrets/${name}-sealed.yaml`,
        object: {
          apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { creationTimestamp: null, name, namespace: 'flux-system' },
          spec: { encryptedData: { password: seal(c, s) }, template: { metadata: { creationTimestamp: null, name, namespace: 'flux-system' }, type: 'Opaque' } },
        },
      });
    }
    for (let h = 0; h < f.releases; h++) {
      files.push({
        path: `${base}/releases/release-${h}.yaml`,
        object: {
          apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: `release-${h}`, namespace: 'flux-system' },
          spec: {
            chart: { spec: { chart: `app-${h}`, reconcileStrategy: 'ChartVersion', sourceRef: { kind: 'HelmRepository', name: `repo-${h % f.repositories}` }, version: `1.${h % 20}.${h % 7}` } },
            install: { createNamespace: true, crds: 'Create', remediation: { retries: 3 } },
            interval: '1m0s', releaseName: `app-${h}`, storageNamespace: `team-${h % 10}`, targetNamespace: `team-${h % 10}`,
            upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
            values: releaseValues(h),
            valuesFrom: h < f.secrets ? [{ kind: 'Secret', name: `secret-${h}`, targetPath: 'auth.password', valuesKey: 'password' }] : undefined,
          },
        },
      });
    }
  }
  return { files };
}

export function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  }
  return n;
}
