/**
 * The layout of fluxcd/flux2-kustomize-helm-example as code: two clusters, staging and
 * production, that share their infrastructure and differ in their apps.
 *
 *   npx ts-node --project test/tsconfig.json examples/fleet.ts [OUTDIR]
 *
 * writes (default OUTDIR `out-fleet`):
 *
 *   clusters/<env>/                 flux-system/ (sync), infra-controllers.yaml, infra-configs.yaml, apps.yaml
 *   infrastructure/controllers/     cert-manager: its namespace (cdk8s), OCIRepository and HelmRelease (shared)
 *   infrastructure/configs/         the letsencrypt ClusterIssuer (cdk8s, shared; staging patches its server)
 *   apps/<env>/                     podinfo (HelmRepository + HelmRelease, values and version per cluster)
 *                                   and a cdk8s-plus Deployment + Service (replicas per cluster)
 *
 * Layers: infra-controllers → infra-configs → apps (dependsOn), each a Flux Kustomization.
 */
import * as path from 'path';
import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-25';
import { Construct } from 'constructs';
import {
  FluxCluster, GitOpsRepo, HELM_CHART_LAYER_MEDIA_TYPE, HelmRelease, HelmRepository, Kustomization, OciLayerOperation, OCIRepository,
} from '../src';

/** What differs between the clusters: a function of the environment, called once per cluster. */
export interface Environment {
  readonly name: 'staging' | 'production';
  /** The podinfo chart versions the cluster follows. */
  readonly podinfoVersion: string;
  /** The host podinfo answers on. */
  readonly podinfoHost: string;
  /** Replicas of the hello workload. */
  readonly helloReplicas: number;
  /** The ACME server the ClusterIssuer uses. */
  readonly acmeServer?: string;
}

export const ENVIRONMENTS: Environment[] = [
  {
    name: 'staging',
    podinfoVersion: '>=1.0.0-alpha',
    podinfoHost: 'podinfo.staging',
    helloReplicas: 1,
    acmeServer: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  },
  { name: 'production', podinfoVersion: '6.x', podinfoHost: 'podinfo.production', helloReplicas: 3 },
];

/** The layer timing of the Flux example: every hour, retry every 2 minutes, 5 minutes to apply. */
const LAYER = { interval: Duration.hours(1), retryInterval: Duration.minutes(2), timeout: Duration.minutes(5) };

/** cert-manager, the same in every cluster: its namespace, the chart as an OCI artifact, the release. */
function controllers(layer: Kustomization): void {
  const chart = new Chart(layer, 'cert-manager-namespace');
  new kplus.Namespace(chart, 'namespace', { metadata: { name: 'cert-manager', labels: { 'toolkit.fluxcd.io/tenant': 'sre-team' } } });
  const source = new OCIRepository(layer, 'cert-manager-chart', {
    name: 'cert-manager',
    namespace: 'cert-manager',
    url: 'oci://quay.io/jetstack/charts/cert-manager',
    semver: '1.x',
    interval: Duration.hours(24),
    layerMediaType: HELM_CHART_LAYER_MEDIA_TYPE,
    layerOperation: OciLayerOperation.COPY,
  });
  new HelmRelease(layer, 'cert-manager', {
    namespace: 'cert-manager',
    chartRef: source,
    interval: Duration.hours(12),
    values: { crds: { enabled: true, keep: false } },
  });
}

/** The letsencrypt ClusterIssuer (a cert-manager custom resource, as a cdk8s ApiObject). */
function configs(layer: Kustomization): void {
  const chart = new Chart(layer, 'cluster-issuers');
  new ApiObject(chart, 'letsencrypt', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'letsencrypt' },
    spec: {
      acme: {
        email: 'fluxcdbot@users.noreply.github.com',
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'letsencrypt-nginx' },
        solvers: [{ http01: { ingress: { class: 'nginx' } } }],
      },
    },
  });
}

/** A small cdk8s-plus workload. */
class Hello extends Chart {
  constructor(scope: Construct, id: string, replicas: number) {
    super(scope, id);
    new kplus.Namespace(this, 'namespace', { metadata: { name: 'hello' } });
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: 'hello', namespace: 'hello' },
      replicas,
      containers: [{
        image: 'ghcr.io/stefanprodan/podinfo:6.5.0',
        portNumber: 9898,
        resources: {},
        securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
      }],
    });
    deployment.exposeViaService({ name: 'hello', ports: [{ port: 80, targetPort: 9898 }] });
  }
}

/** podinfo from its Helm repository, with the cluster's version and host, and the hello workload. */
function apps(layer: Kustomization, env: Environment): void {
  const ns = new Chart(layer, 'podinfo-namespace');
  new kplus.Namespace(ns, 'namespace', { metadata: { name: 'podinfo' } });
  const repository = new HelmRepository(layer, 'podinfo-charts', {
    name: 'podinfo',
    namespace: 'podinfo',
    url: 'oci://ghcr.io/stefanprodan/charts',
    interval: Duration.hours(24),
  });
  new HelmRelease(layer, 'podinfo', {
    namespace: 'podinfo',
    repository,
    chart: 'podinfo',
    version: env.podinfoVersion,
    releaseName: 'podinfo',
    interval: Duration.minutes(50),
    values: {
      redis: { enabled: true, repository: 'public.ecr.aws/docker/library/redis', tag: '7.2.4' },
      ingress: { enabled: true, className: 'nginx', hosts: [{ host: env.podinfoHost, paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }] },
    },
  });
  new Hello(layer, 'hello', env.helloReplicas);
}

/** Defines both clusters in a GitOpsRepo writing to `outdir`. */
export function defineFleet(outdir: string): GitOpsRepo {
  const repo = new GitOpsRepo({ outdir });
  for (const env of ENVIRONMENTS) {
    const cluster = new FluxCluster(repo, env.name, { sync: { url: 'ssh://git@github.com/acme/fleet', branch: 'main' } });
    const infraControllers = new Kustomization(cluster, 'infra-controllers', { path: 'infrastructure/controllers', wait: true, ...LAYER });
    controllers(infraControllers);
    const infraConfigs = new Kustomization(cluster, 'infra-configs', {
      path: 'infrastructure/configs',
      dependsOn: [infraControllers],
      ...LAYER,
      // the shared folder is the same in every cluster; the Kustomization patches it per cluster
      patches: env.acmeServer ? [{
        patch: `- op: replace\n  path: /spec/acme/server\n  value: ${env.acmeServer}\n`,
        target: { kind: 'ClusterIssuer', name: 'letsencrypt' },
      }] : undefined,
    });
    configs(infraConfigs);
    const appsLayer = new Kustomization(cluster, 'apps', { dependsOn: [infraConfigs], wait: true, ...LAYER });
    apps(appsLayer, env);
  }
  return repo;
}

function main(args: string[]): number {
  const outdir = path.resolve(args[0] ?? 'out-fleet');
  const result = defineFleet(outdir).synth();
  console.log(`Synthesized the fleet into ${path.relative(process.cwd(), outdir) || '.'}/ (${result.written.length} files written, ${result.removed.length} removed):`);
  for (const f of result.files) console.log(`  ${f}${result.written.includes(f) ? '  (written)' : ''}`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
