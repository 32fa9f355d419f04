import { Duration } from 'cdk8s';
import { FluxCluster, GitOpsRepo, HelmRepository, HelmRepositoryProvider } from '../src';
import { golden, mkdtemp, readTree, schemaViolations, synthOne } from './util';

describe('HelmRepository', () => {
  test('E1: the bytes of flux create source helm podinfo --url=https://… --interval 5m --export', () => {
    // GIVEN / WHEN
    const files = synthOne((dev) => new HelmRepository(dev, 'podinfo', {
      url: 'https://stefanprodan.github.io/charts/podinfo',
      interval: Duration.minutes(5),
    }));
    // THEN
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e1-source-helm-https.yaml'));
  });

  test('E2: an oci:// url gives type: oci, and secretRef', () => {
    const files = synthOne((dev) => {
      new HelmRepository(dev, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', interval: Duration.minutes(5), secretRef: 'creds' });
    });
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e2-source-helm-oci-with-secret.yaml'));
  });

  test('E2: oci without a secret', () => {
    const files = synthOne((dev) => {
      new HelmRepository(dev, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', interval: Duration.minutes(5) });
    });
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e2-source-helm-oci.yaml'));
  });

  test('E6: the sealed-secrets repository with a 10m interval', () => {
    const files = synthOne((dev) => {
      new HelmRepository(dev, 'sealed-secrets', { url: 'https://bitnami-labs.github.io/sealed-secrets', interval: Duration.minutes(10) });
    });
    expect(files['clusters/dev/helm/repositories/sealed-secrets.yaml']).toEqual(golden('flux-create/e6-source-helm-sealed-secrets.yaml'));
  });

  test('E7: flux create source helm bitnami --url=https://charts.bitnami.com/bitnami --fetch-timeout=30s --secret-ref=bitnami-creds --pass-credentials --export', () => {
    const files = synthOne((dev) => new HelmRepository(dev, 'bitnami', {
      url: 'https://charts.bitnami.com/bitnami',
      timeout: Duration.seconds(30),
      secretRef: 'bitnami-creds',
      passCredentials: true,
    }));
    expect(files['clusters/dev/helm/repositories/bitnami.yaml']).toEqual(golden('flux-create/e7-source-helm-fetch-timeout-secret-pass-credentials.yaml'));
  });

  test('E8: flux create source helm ecr-charts --url=oci://… --oci-provider=aws --interval=10m --export', () => {
    const files = synthOne((dev) => new HelmRepository(dev, 'ecr-charts', {
      url: 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts',
      provider: HelmRepositoryProvider.AWS,
      interval: Duration.minutes(10),
    }));
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/repositories/ecr-charts.yaml']).toEqual(golden('flux-create/e8-source-helm-oci-provider.yaml'));
  });

  test('the interval defaults to 1m0s, as flux create source helm', () => {
    const files = synthOne((dev) => new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' }));
    expect(files['clusters/dev/helm/repositories/bitnami.yaml']).toContain('  interval: 1m0s\n');
  });

  test('every optional field, in alphabetical order', () => {
    const files = synthOne((dev) => new HelmRepository(dev, 'private', {
      name: 'private-charts',
      url: 'oci://123456789.dkr.ecr.eu-west-1.amazonaws.com/charts',
      interval: Duration.hours(1),
      timeout: Duration.seconds(90),
      secretRef: 'ecr-creds',
      certSecretRef: 'ecr-ca',
      passCredentials: true,
      insecure: true,
      provider: HelmRepositoryProvider.AWS,
      suspend: true,
    }));
    expect(schemaViolations(files)).toEqual([]);
    expect(files['clusters/dev/helm/repositories/private-charts.yaml']).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata:',
      '  name: private-charts',
      '  namespace: flux-system',
      'spec:',
      '  certSecretRef:',
      '    name: ecr-ca',
      '  insecure: true',
      '  interval: 1h0m0s',
      '  passCredentials: true',
      '  provider: aws',
      '  secretRef:',
      '    name: ecr-creds',
      '  suspend: true',
      '  timeout: 1m30s',
      '  type: oci',
      '  url: oci://123456789.dkr.ecr.eu-west-1.amazonaws.com/charts',
      '',
    ].join('\n'));
  });

  test('the cluster namespace is the object namespace', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev', { namespace: 'gitops' });
    new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
    repo.synth();
    expect(readTree(outdir)['clusters/dev/helm/repositories/jetstack.yaml']).toContain('  namespace: gitops\n');
  });

  describe('fails', () => {
    function errorOf(define: (cluster: FluxCluster) => void): string {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir });
      define(new FluxCluster(repo, 'dev'));
      try {
        repo.synth();
      } catch (e) {
        expect(Object.keys(readTree(outdir))).toEqual([]);
        return (e as Error).message;
      }
      throw new Error('synth did not fail');
    }

    test('on a url scheme Flux does not support', () => {
      expect(errorOf((dev) => new HelmRepository(dev, 'git', { url: 'git://example.com/charts' }))).toEqual(
        'synth found 1 problem and wrote nothing:\n'
        + '  - dev/git: url: url scheme \'git\' not supported, can be: http, https, oci (got "git://example.com/charts")');
    });

    test('on a url without a host, a bad name, a timeout of an hour, and provider/insecure without oci', () => {
      expect(errorOf((dev) => new HelmRepository(dev, 'Charts', {
        url: 'https://',
        timeout: Duration.hours(1),
        provider: HelmRepositoryProvider.GCP,
        insecure: true,
        passCredentials: true,
      }))).toEqual([
        'synth found 6 problems and wrote nothing:',
        '  - dev/Charts: name: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "Charts")',
        '  - dev/Charts: url: must be an absolute URL with scheme http, https, oci (got "https://")',
        '  - dev/Charts: timeout: must be shorter than one hour (the CRD pattern for this field has no \'h\' unit): use at most Duration.minutes(59) (got "1h0m0s")',
        '  - dev/Charts: passCredentials: needs secretRef: there are no credentials to pass without it (got true)',
        '  - dev/Charts: insecure: applies only to OCI repositories (an oci:// url); for an HTTP index use an http:// url instead (got true)',
        '  - dev/Charts: provider: applies only to OCI repositories (an oci:// url) (got "gcp")',
      ].join('\n'));
    });

    test('on a url the CRD pattern refuses though a URL parser takes it: an upper-case scheme, spaces, a line break', () => {
      expect(errorOf((dev) => {
        new HelmRepository(dev, 'upper', { url: 'HTTPS://charts.jetstack.io' });
        new HelmRepository(dev, 'oci-upper', { url: 'OCI://ghcr.io/stefanprodan/charts' });
        new HelmRepository(dev, 'space', { url: ' https://charts.jetstack.io' });
        new HelmRepository(dev, 'newline', { url: 'https://charts.jetstack.io\n' });
      })).toEqual([
        'synth found 4 problems and wrote nothing:',
        '  - dev/upper: url: must start with \'https://\' exactly, in lowercase (Flux matches the scheme case-sensitively) (got "HTTPS://charts.jetstack.io")',
        '  - dev/oci-upper: url: must start with \'oci://\' exactly, in lowercase (Flux matches the scheme case-sensitively) (got "OCI://ghcr.io/stefanprodan/charts")',
        '  - dev/space: url: must not contain spaces, tabs, line breaks or other control characters: remove them (percent-encode a space in a path as %20) (got " https://charts.jetstack.io")',
        '  - dev/newline: url: must not contain spaces, tabs, line breaks or other control characters: remove them (percent-encode a space in a path as %20) (got "https://charts.jetstack.io\\n")',
      ].join('\n'));
    });

    test('on a provider or duration that is not of its type (JavaScript callers)', () => {
      expect(errorOf((dev) => new HelmRepository(dev, 'ecr', {
        url: 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts',
        provider: 'amazon' as any,
        interval: '10m' as any,
      }))).toEqual([
        'synth found 2 problems and wrote nothing:',
        '  - dev/ecr: interval: must be a Duration such as Duration.minutes(10), not a string or a number (got "10m")',
        '  - dev/ecr: provider: must be one of HelmRepositoryProvider.GENERIC, HelmRepositoryProvider.AWS, HelmRepositoryProvider.AZURE, HelmRepositoryProvider.GCP (\'generic\', \'aws\', \'azure\', \'gcp\') (got "amazon")',
      ].join('\n'));
    });
  });
});
