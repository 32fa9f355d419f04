/**
 * The DigitalOcean Starter Kit's GitOps chapter (flux.md §6) as code, on today's Flux APIs:
 * the dev cluster with its seven Helm repositories and releases, and the three credentials the
 * releases read, sealed with the cluster's certificate.
 *
 *   npx ts-node --project test/tsconfig.json examples/dev-cluster.ts [OUTDIR]
 *
 * writes the GitOps repo into OUTDIR (default `out`) and lists what it wrote. The credentials
 * come from the environment (GRAFANA_ADMIN_PASSWORD, DO_SPACES_ACCESS_KEY_ID,
 * DO_SPACES_SECRET_ACCESS_KEY, DO_API_TOKEN) and cert-manager's secret values from the git-ignored
 * file `cert-manager-values-v1.8.0.yaml` at the repo root; where they are missing, the Quick
 * start makes throwaway demo values so that it seals for real.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  CrdsPolicy, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealedSecret, SealingCertificate, SecretValue,
} from '../src';

/** The throwaway certificate the example seals with (its private key is a test fixture). */
export const EXAMPLE_CERTIFICATE = path.join(__dirname, 'pub-sealed-secrets-dev.pem');

/** Defines the tutorial's dev cluster in a GitOpsRepo writing to `outdir`. */
export function defineRepo(outdir: string): GitOpsRepo {
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev', {
    sync: { url: 'ssh://git@github.com/acme/starterkit-fleet', branch: 'main' },
    sealingCertificate: SealingCertificate.fromFile(EXAMPLE_CERTIFICATE),
  });

  // helm/repositories: every repository of the tutorial, fetched every 10 minutes.
  const repository = (id: string, url: string) => new HelmRepository(dev, id, { url, interval: Duration.minutes(10) });
  const ambassador = repository('ambassador', 'https://app.getambassador.io');
  const grafana = repository('grafana', 'https://grafana.github.io/helm-charts');
  const jetstack = repository('jetstack', 'https://charts.jetstack.io');
  const nginx = repository('kubernetes-community-nginx', 'https://kubernetes.github.io/ingress-nginx');
  const prometheusCommunity = repository('prometheus-community', 'https://prometheus-community.github.io/helm-charts');
  const sealedSecretsRepo = repository('sealed-secrets', 'https://bitnami-labs.github.io/sealed-secrets');
  const vmwareTanzu = repository('vmware-tanzu', 'https://vmware-tanzu.github.io/helm-charts');

  // helm/secrets: sealed with the cluster's certificate, in flux-system next to the releases
  // that read them (valuesFrom needs the HelmRelease's namespace).
  const prometheusCredentials = new SealedSecret(dev, 'prometheus-stack-credentials', {
    data: { grafana_admin_password: SecretValue.fromEnv('GRAFANA_ADMIN_PASSWORD') },
  });
  const doSpacesCredentials = new SealedSecret(dev, 'do-spaces-credentials', {
    data: {
      access_key_id: SecretValue.fromEnv('DO_SPACES_ACCESS_KEY_ID'),
      secret_access_key: SecretValue.fromEnv('DO_SPACES_SECRET_ACCESS_KEY'),
    },
  });
  const doApiCredentials = new SealedSecret(dev, 'do-api-credentials', {
    data: { do_api_token: SecretValue.fromEnv('DO_API_TOKEN') },
  });

  // helm/releases: the tutorial's shape, install/upgrade retried 3 times, namespaces created.
  const common = { installRetries: 3, upgradeRetries: 3, createNamespace: true };

  new HelmRelease(dev, 'sealed-secrets-controller', {
    ...common,
    repository: sealedSecretsRepo,
    chart: 'sealed-secrets',
    version: '2.4.0',
    releaseName: 'sealed-secrets-controller',
    targetNamespace: 'flux-system',
    crds: CrdsPolicy.CREATE_REPLACE,
    values: { ingress: { enabled: false } },
  });

  new HelmRelease(dev, 'ambassador-stack', {
    ...common,
    repository: ambassador,
    chart: 'edge-stack',
    version: '7.3.2',
    releaseName: 'ambassador',
    targetNamespace: 'ambassador',
    values: {
      replicaCount: 2,
      resources: { limits: { cpu: '1000m', memory: '600Mi' }, requests: { cpu: '200m', memory: '200Mi' } },
    },
  });

  new HelmRelease(dev, 'cert-manager', {
    ...common,
    repository: jetstack,
    chart: 'cert-manager',
    version: '1.8.0',
    releaseName: 'cert-manager',
    targetNamespace: 'cert-manager',
    values: { installCRDs: true, prometheus: { enabled: false } },
    // The tutorial's `<release>-values-v<version>.yaml`, sealed into `cert-manager-values`.
    secretValues: SecretValue.fromFile(path.join(outdir, 'cert-manager-values-v1.8.0.yaml')),
  });

  new HelmRelease(dev, 'ingress-nginx', {
    ...common,
    repository: nginx,
    chart: 'ingress-nginx',
    version: '4.1.3',
    releaseName: 'ingress-nginx',
    targetNamespace: 'ingress-nginx',
    values: { controller: { replicaCount: 2, resources: { requests: { cpu: '100m', memory: '90Mi' } } } },
  });

  new HelmRelease(dev, 'loki-stack', {
    ...common,
    repository: grafana,
    chart: 'loki-stack',
    version: '2.6.4',
    releaseName: 'loki',
    targetNamespace: 'loki-stack',
    // The tutorial's file mis-nests promtail's settings at the root; as data they cannot be.
    values: {
      'promtail': {
        enabled: true,
        serviceMonitor: { enabled: true },
        pipelineStages: [{ docker: {} }, { drop: { source: 'namespace', expression: 'kube-.*' } }],
      },
      'prometheus': { enabled: false },
      'fluent-bit': { enabled: false },
      'grafana': { enabled: false },
      'loki': {
        enabled: true,
        config: {
          schema_config: {
            configs: [{ from: '2020-10-24', store: 'boltdb-shipper', object_store: 'aws', schema: 'v11', index: { prefix: 'index_', period: '24h' } }],
          },
          storage_config: {
            boltdb_shipper: {
              active_index_directory: '/data/loki/boltdb-shipper-active',
              cache_location: '/data/loki/boltdb-shipper-cache',
              cache_ttl: '24h',
              shared_store: 'aws',
            },
            aws: { bucketnames: 'starterkit-loki', endpoint: 'nyc1.digitaloceanspaces.com', region: 'nyc1', s3forcepathstyle: true },
          },
        },
      },
    },
    valuesFrom: [
      doSpacesCredentials.valuesReference({ valuesKey: 'access_key_id', targetPath: 'loki.config.storage_config.aws.access_key_id', optional: false }),
      doSpacesCredentials.valuesReference({ valuesKey: 'secret_access_key', targetPath: 'loki.config.storage_config.aws.secret_access_key', optional: false }),
    ],
  });

  new HelmRelease(dev, 'kube-prometheus-stack', {
    ...common,
    repository: prometheusCommunity,
    chart: 'kube-prometheus-stack',
    version: '35.5.1',
    releaseName: 'kube-prom-stack',
    targetNamespace: 'monitoring',
    values: {
      alertmanager: { enabled: true },
      defaultRules: { create: true, rules: { etcd: false, kubeScheduler: false } },
      grafana: { enabled: true },
      kubeEtcd: { enabled: false },
      kubeScheduler: { enabled: false },
      prometheus: {
        enabled: true,
        additionalServiceMonitors: [
          {
            name: 'ambassador-monitor',
            selector: { matchLabels: { service: 'ambassador-admin' } },
            namespaceSelector: { matchNames: ['ambassador'] },
            endpoints: [{ port: 'ambassador-admin' }],
          },
          {
            name: 'loki-monitor',
            selector: { matchLabels: { app: 'loki', release: 'loki' } },
            namespaceSelector: { matchNames: ['loki-stack'] },
            endpoints: [{ port: 'http-metrics' }],
          },
          {
            name: 'promtail-monitor',
            selector: { matchLabels: { app: 'promtail', release: 'loki' } },
            namespaceSelector: { matchNames: ['loki-stack'] },
            endpoints: [{ port: 'http-metrics' }],
          },
        ],
        prometheusSpec: {
          storageSpec: {
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'do-block-storage' },
            },
          },
        },
      },
      prometheusOperator: { enabled: true },
    },
    valuesFrom: [
      prometheusCredentials.valuesReference({ valuesKey: 'grafana_admin_password', targetPath: 'grafana.adminPassword', optional: false }),
    ],
  });

  new HelmRelease(dev, 'velero-stack', {
    ...common,
    repository: vmwareTanzu,
    chart: 'velero',
    version: '2.29.7',
    releaseName: 'velero',
    targetNamespace: 'velero',
    values: {
      configuration: {
        provider: 'aws',
        backupStorageLocation: { bucket: 'starterkit-velero', config: { region: 'nyc1', s3Url: 'https://nyc1.digitaloceanspaces.com' } },
        volumeSnapshotLocation: { provider: 'digitalocean.com/velero' },
      },
      deployRestic: false,
      initContainers: [
        { image: 'velero/velero-plugin-for-aws:v1.0.0', imagePullPolicy: 'IfNotPresent', name: 'velero-plugin-for-aws', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] },
        { image: 'digitalocean/velero-plugin:v1.0.0', imagePullPolicy: 'IfNotPresent', name: 'velero-plugin', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] },
      ],
    },
    valuesFrom: [
      doApiCredentials.valuesReference({ valuesKey: 'do_api_token', targetPath: 'configuration.extraEnvVars.DIGITALOCEAN_TOKEN', optional: false }),
      doSpacesCredentials.valuesReference({ valuesKey: 'access_key_id', targetPath: 'configuration.extraEnvVars.AWS_ACCESS_KEY_ID', optional: false }),
      doSpacesCredentials.valuesReference({ valuesKey: 'secret_access_key', targetPath: 'configuration.extraEnvVars.AWS_SECRET_ACCESS_KEY', optional: false }),
    ],
  });

  return repo;
}

/** The Quick start's stand-ins for the secrets a real user has in their environment. */
export function provideDemoSecrets(outdir: string): string[] {
  const made: string[] = [];
  const demo: Record<string, string> = {
    GRAFANA_ADMIN_PASSWORD: 'demo-grafana-admin-password',
    DO_SPACES_ACCESS_KEY_ID: 'DEMOACCESSKEYID0000',
    DO_SPACES_SECRET_ACCESS_KEY: 'demo-spaces-secret-access-key',
    DO_API_TOKEN: 'demo-digitalocean-api-token',
  };
  for (const [name, value] of Object.entries(demo)) {
    if (process.env[name] === undefined) {
      process.env[name] = value;
      made.push(`environment variable ${name}`);
    }
  }
  const valuesFile = path.join(outdir, 'cert-manager-values-v1.8.0.yaml');
  if (!fs.existsSync(valuesFile)) {
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(valuesFile, 'webhook:\n  extraArgs:\n  - --demo-secret-flag=demo-webhook-secret\n');
    made.push(`values file ${path.relative(process.cwd(), valuesFile)}`);
  }
  return made;
}

function main(argv: string[]): number {
  const outdir = path.resolve(argv[0] ?? 'out');
  const demo = provideDemoSecrets(outdir);
  if (demo.length > 0) {
    console.log(`Quick start: using throwaway demo secrets for ${demo.join(', ')}.`);
  }
  const result = defineRepo(outdir).synth();
  console.log(`\nSynthesized the GitOps repo into ${path.relative(process.cwd(), outdir) || '.'}/ (${result.written.length} files written, ${result.removed.length} removed, ${result.files.filter((f) => !result.written.includes(f)).length} unchanged):`);
  const groups = new Map<string, string[]>();
  for (const file of result.files) {
    const m = /^(clusters\/[^/]+)\//.exec(file);
    const group = m ? m[1] : '(repo root)';
    groups.set(group, [...(groups.get(group) ?? []), m ? file.slice(m[1].length + 1) : file]);
  }
  groups.set('(repo root)', [...(groups.get('(repo root)') ?? []), '.gitignore']);
  for (const [group, files] of [...groups.entries()].sort()) {
    console.log(`\n${group}/`);
    for (const f of files.sort()) console.log(`  ${f}${result.written.includes(group === '(repo root)' ? f : `${group}/${f}`) ? '  (written)' : ''}`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
