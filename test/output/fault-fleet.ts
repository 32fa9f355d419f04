// Module by module, not the package index: the child processes need not load projen.
import { FluxCluster } from '../../src/cluster';
import { HelmRelease } from '../../src/helm-release';
import { HelmRepository } from '../../src/helm-repository';
import { GitOpsRepo } from '../../src/repo';
import { SealedSecret } from '../../src/sealed-secret';
import { SealingCertificate } from '../../src/sealing/certificate';
import { SecretValue } from '../../src/secret-value';

/**
 * The small fleet the fault-injection tests synthesize, in the test process and in child
 * processes alike. Variant 'b' changes a file, drops one and adds one compared with 'a'; the secret
 * comes from the environment variable FI_SECRET.
 */
export function defineFleet(outdir: string, variant: 'a' | 'b', certificate: string): GitOpsRepo {
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(certificate) });
  const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
  new HelmRelease(dev, 'redis', { repository: bitnami, chart: 'redis', version: variant === 'a' ? '17.0.0' : '18.0.0' });
  if (variant === 'a') new HelmRelease(dev, 'postgresql', { repository: bitnami, chart: 'postgresql', version: '12.0.0' });
  else new HelmRelease(dev, 'mariadb', { repository: bitnami, chart: 'mariadb', version: '11.0.0' });
  new SealedSecret(dev, 'db-credentials', { data: { password: SecretValue.fromEnv('FI_SECRET') } });
  return repo;
}
