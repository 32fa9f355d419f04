import { Duration } from 'cdk8s';
import {
  FluxCluster, HelmRelease, HelmRepository, OCIRepository, SealedSecret, SealingCertificate, SecretReference, SecretValue,
  VerificationProvider,
} from '../src';
import { devRepo, golden, quietly, readTree, schemaViolations, synthError, TEST_CERT } from './util';

const setup = devRepo;

function sealed(scope: FluxCluster, name: string, keys: string[], namespace?: string): SealedSecret {
  return new SealedSecret(scope, name, { namespace, data: Object.fromEntries(keys.map((k) => [k, SecretValue.fromEnv('I11F_REF_SECRET')])) });
}

beforeAll(() => {
  process.env.I11F_REF_SECRET = 'a-secret-value-for-the-tests-0123456789';
});
afterAll(() => {
  delete process.env.I11F_REF_SECRET;
});

describe('SecretReference', () => {
  test('a SealedSecret with the keys the consumer reads is written by name', () => {
    const { outdir, repo, dev } = setup();
    const creds = sealed(dev, 'creds', ['username', 'password']);
    const ca = sealed(dev, 'ca', ['ca.crt']);
    new HelmRepository(dev, 'charts', { url: 'https://charts.example.com', secret: SecretReference.fromSealedSecret(creds), certSecret: SecretReference.fromSealedSecret(ca) });
    quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/repositories/charts.yaml']).toContain('  certSecretRef:\n    name: ca\n');
    expect(files['clusters/dev/helm/repositories/charts.yaml']).toContain('  secretRef:\n    name: creds\n');
  });

  test('the keys, the namespace and the cluster of a SealedSecret are checked', () => {
    const { repo, dev } = setup();
    const prod = new FluxCluster(repo, 'prod', { sealingCertificate: SealingCertificate.fromFile(TEST_CERT) });
    const token = sealed(dev, 'token', ['token']);
    const elsewhere = sealed(dev, 'elsewhere', ['username', 'password'], 'apps');
    const prodCreds = sealed(prod, 'prod-creds', ['username', 'password']);
    const tls = sealed(dev, 'tls', ['tls.crt']);
    const proxy = sealed(dev, 'proxy', ['url']);
    const cosign = sealed(dev, 'cosign', ['key.pem']);
    const pull = sealed(dev, 'pull', ['username', 'password']);
    new HelmRepository(dev, 'http', { url: 'https://charts.example.com', secret: SecretReference.fromSealedSecret(token), certSecret: SecretReference.fromSealedSecret(tls) });
    new HelmRepository(dev, 'oci', { url: 'oci://ghcr.io/acme/charts', secret: SecretReference.fromSealedSecret(token) });
    new HelmRepository(dev, 'other-ns', { url: 'https://charts.example.com', secret: SecretReference.fromSealedSecret(elsewhere) });
    new HelmRepository(dev, 'other-cluster', { url: 'https://charts.example.com', secret: SecretReference.fromSealedSecret(prodCreds) });
    new OCIRepository(dev, 'manifests', {
      url: 'oci://ghcr.io/acme/manifests',
      secret: SecretReference.fromSealedSecret(pull),
      proxySecret: SecretReference.fromSealedSecret(proxy),
      verify: { provider: VerificationProvider.COSIGN, secret: SecretReference.fromSealedSecret(cosign) },
    });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 8 problems and wrote nothing:',
      '  - dev/http: secret: must refer to a Secret with the keys \'username\' and \'password\': a HelmRepository logs in with \'username\' and \'password\'; SealedSecret \'token\' has \'token\' (got "token")',
      '  - dev/http: certSecret: must refer to a Secret with the keys \'ca.crt\', or \'tls.crt\' and \'tls.key\': Flux reads a CA certificate from \'ca.crt\' and a client certificate from \'tls.crt\' and \'tls.key\'; SealedSecret \'tls\' has \'tls.crt\' (got "tls")',
      '  - dev/oci: secret: must refer to a Secret with the keys \'username\' and \'password\', or \'.dockerconfigjson\': an OCI HelmRepository logs in with \'username\' and \'password\', or with a kubernetes.io/dockerconfigjson Secret; SealedSecret \'token\' has \'token\' (got "token")',
      '  - dev/other-ns: secret: must refer to a Secret in the HelmRepository\'s namespace \'flux-system\': SealedSecret \'elsewhere\' is in \'apps\'; set its namespace to \'flux-system\' (got "elsewhere")',
      '  - dev/other-cluster: secret: must refer to a SealedSecret of the same cluster: \'prod/prod-creds\' belongs to \'prod\', this HelmRepository to \'dev\' (got "prod-creds")',
      '  - dev/manifests: secret: must refer to a Secret with the key \'.dockerconfigjson\': an OCIRepository logs in with a kubernetes.io/dockerconfigjson Secret; SealedSecret \'pull\' has \'password\', \'username\' (got "pull")',
      '  - dev/manifests: proxySecret: must refer to a Secret with the key \'address\': Flux reads the proxy URL from \'address\' (and optional \'username\' and \'password\'); SealedSecret \'proxy\' has \'url\' (got "proxy")',
      '  - dev/manifests: verify.secret: must refer to a Secret with a key ending in \'.pub\': cosign verification reads the public keys from the keys ending in \'.pub\'; SealedSecret \'cosign\' has \'key.pem\' (got "cosign")',
    ]);
  });

  test('an OCI HelmRepository takes a dockerconfigjson SealedSecret; chartVerify checks the release\'s namespace', () => {
    const { repo, dev } = setup();
    process.env.I11F_DOCKERCONFIG = '{"auths":{}}';
    const pull = new SealedSecret(dev, 'pull', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': SecretValue.fromEnv('I11F_DOCKERCONFIG') } });
    const charts = new HelmRepository(dev, 'charts', { url: 'oci://ghcr.io/acme/charts', secret: SecretReference.fromSealedSecret(pull) });
    const keys = sealed(dev, 'cosign', ['cosign.pub']);
    new HelmRelease(dev, 'web', {
      namespace: 'apps',
      repository: charts,
      chart: 'web',
      chartVerify: { provider: VerificationProvider.COSIGN, secret: SecretReference.fromSealedSecret(keys) },
    });
    try {
      expect(synthError(repo).split('\n')).toEqual([
        'synth found 1 problem and wrote nothing:',
        '  - dev/web: chartVerify.secret: must refer to a Secret in the HelmRelease\'s namespace \'apps\': SealedSecret \'cosign\' is in \'flux-system\'; set its namespace to \'apps\' (got "cosign")',
      ]);
    } finally {
      delete process.env.I11F_DOCKERCONFIG;
    }
  });

  test('a name and a string prop are taken as they are; giving both is refused', () => {
    const { repo, dev } = setup();
    new HelmRepository(dev, 'both', { url: 'https://charts.example.com', secretRef: 'a', secret: SecretReference.fromName('b') });
    new HelmRepository(dev, 'bad-name', { url: 'https://charts.example.com', secret: SecretReference.fromName('Not_A_Name') });
    new OCIRepository(dev, 'plain', { url: 'oci://ghcr.io/acme/manifests', secret: 'creds' as any });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 3 problems and wrote nothing:',
      '  - dev/both: secret: must not be given with secretRef: give one of them (got "a")',
      '  - dev/bad-name: secret: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "Not_A_Name")',
      '  - dev/plain: secret: must be a SecretReference: SecretReference.fromSealedSecret(secret) or SecretReference.fromName(\'name\') (got "creds")',
    ]);
  });

  test('templateData keys count as keys of the Secret; a key in both data and templateData is refused', () => {
    const { outdir, repo, dev } = setup();
    const proxy = new SealedSecret(dev, 'proxy', {
      data: { password: SecretValue.fromEnv('I11F_REF_SECRET') },
      templateData: { address: 'http://proxy.corp:3128', username: 'flux' },
      finalizers: ['example.com/keep'],
    });
    new OCIRepository(dev, 'manifests', { url: 'oci://ghcr.io/acme/manifests', proxySecret: SecretReference.fromSealedSecret(proxy) });
    quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/secrets/proxy-sealed.yaml']).toContain([
      '  template:',
      '    data:',
      '      address: http://proxy.corp:3128',
      '      username: flux',
      '    metadata:',
      '      creationTimestamp: null',
      '      finalizers:',
      '      - example.com/keep',
      '      name: proxy',
      '      namespace: flux-system',
      '',
    ].join('\n'));

    const second = setup();
    new SealedSecret(second.dev, 'clash', { data: { password: SecretValue.fromEnv('I11F_REF_SECRET') }, templateData: { password: 'x' } });
    expect(synthError(second.repo).split('\n')).toEqual([
      'synth found 1 problem and wrote nothing:',
      '  - dev/clash: templateData.password: must not also be a key of data: the controller would overwrite the sealed value with the template (got "password")',
    ]);
  });
});

describe('OCIRepository, as flux create source oci', () => {
  test('E15: --tag=6.3.5 --interval 10m --verify-provider=cosign --verify-secret-ref=cosign-pub', () => {
    const { outdir, repo, dev } = setup();
    new OCIRepository(dev, 'podinfo', {
      url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
      tag: '6.3.5',
      interval: Duration.minutes(10),
      verify: { provider: VerificationProvider.COSIGN, secret: SecretReference.fromName('cosign-pub') },
    });
    quietly(() => repo.synth());
    expect(readTree(outdir)['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e15-source-oci-verify-secret.yaml'));
  });

  test('E16: --verify-provider=cosign --verify-subject=… --verify-issuer=… (the command\'s help example)', () => {
    const { outdir, repo, dev } = setup();
    new OCIRepository(dev, 'podinfo', {
      url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
      tag: '6.6.2',
      interval: Duration.minutes(10),
      verify: {
        matchOidcIdentity: [{
          issuer: '^https://token.actions.githubusercontent.com$',
          subject: '^https://github.com/stefanprodan/podinfo/.github/workflows/release.yml@refs/tags/6.6.2$',
        }],
      },
    });
    quietly(() => repo.synth());
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e16-source-oci-verify-oidc-identity.yaml'));
  });

  test('E17: --tag-semver --cert-ref --proxy-secret-ref --service-account --ignore-paths', () => {
    const { outdir, repo, dev } = setup();
    new OCIRepository(dev, 'podinfo', {
      url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
      semver: '>=6.0.0',
      certSecret: SecretReference.fromName('registry-ca'),
      proxySecret: SecretReference.fromName('corp-proxy'),
      serviceAccountName: 'puller',
      ignorePaths: ['/*', '!/deploy'],
    });
    quietly(() => repo.synth());
    expect(readTree(outdir)['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e17-source-oci-cert-proxy-service-account-ignore.yaml'));
  });

  test('verify mistakes: notation without a Secret, OIDC identities with notation, semverFilter without semver', () => {
    const { repo, dev } = setup();
    new OCIRepository(dev, 'notation', {
      url: 'oci://ghcr.io/acme/manifests',
      semverFilter: '.*-rc.*',
      verify: { provider: VerificationProvider.NOTATION, matchOidcIdentity: [{ issuer: 'x', subject: '(' }] },
    });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 4 problems and wrote nothing:',
      '  - dev/notation: semverFilter: needs semver: it filters the tags within the semver range (got ".*-rc.*")',
      '  - dev/notation: verify.matchOidcIdentity: applies only to cosign keyless verification (VerificationProvider.COSIGN) (got "notation")',
      '  - dev/notation: verify.matchOidcIdentity[0].subject: must be a valid regular expression: Invalid regular expression: /(/: Unterminated group (got "(")',
      '  - dev/notation: verify.secret: is required for notation verification: the Secret with trustpolicy.json and the certificates',
    ]);
  });
});
