import * as fs from 'fs';
import { Duration } from 'cdk8s';
import { GitOpsRepo, FluxCluster, GitProvider, GitRepository, GitVerificationMode, HelmRelease } from '../src';
import { golden, mkdtemp, schemaViolations, synthError, synthOne } from './util';

/** `flux create source git podinfo --namespace=flux-system --url=<url> <flags> --interval=1m0s --export`, as the flux CLI's own tests run it. */
function podinfo(props: Partial<ConstructorParameters<typeof GitRepository>[2]>, url = 'https://github.com/stefanprodan/podinfo'): string {
  const files = synthOne((dev) => new GitRepository(dev, 'podinfo', { url, interval: Duration.minutes(1), ...props }));
  expect(schemaViolations(files)).toEqual([]);
  return files['clusters/dev/git/repositories/podinfo.yaml'];
}

describe('GitRepository', () => {
  describe('the bytes of flux create source git --export (flux2 cmd/flux/testdata/create_source_git)', () => {
    test.each([
      ['--branch=test', { branch: 'test' }, 'e13-source-git-branch.yaml'],
      ['--tag=test', { tag: 'test' }, 'e13-source-git-tag.yaml'],
      ['--tag-semver=v1.01', { semver: 'v1.01' }, 'e13-source-git-semver.yaml'],
      ['--ref-name=refs/heads/main', { refName: 'refs/heads/main' }, 'e13-source-git-refname.yaml'],
      ['--branch=main --commit=c88a2f41', { branch: 'main', commit: 'c88a2f41' }, 'e13-source-git-branch-commit.yaml'],
      ['--provider github --branch=test --secret-ref appinfo', { provider: GitProvider.GITHUB, branch: 'test', secretRef: 'appinfo' }, 'e13-source-git-provider-github.yaml'],
    ])('%s', (_flags, props, file) => {
      expect(podinfo(props)).toEqual(golden(`flux-create/${file}`));
    });

    test('--provider azure --branch=test', () => {
      expect(podinfo({ provider: GitProvider.AZURE, branch: 'test' }, 'https://dev.azure.com/foo/bar/_git/podinfo')).toEqual(golden('flux-create/e13-source-git-provider-azure.yaml'));
    });

    test('--branch=master --sparse-checkout-paths .cosign,non-existent-dir/ --ignore-paths .cosign,non-existent-dir/ -n default (export.golden)', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir, printWarnings: false });
      const dev = new FluxCluster(repo, 'dev');
      new GitRepository(dev, 'podinfo', {
        url: 'https://github.com/stefanprodan/podinfo',
        namespace: 'default',
        branch: 'master',
        sparseCheckoutPaths: ['.cosign', 'non-existent-dir/'],
        ignorePaths: ['.cosign', 'non-existent-dir/'],
      });
      repo.synth();
      expect(fs.readFileSync(`${outdir}/clusters/dev/git/repositories/podinfo.yaml`, 'utf8')).toEqual(golden('flux-create/e13-source-git-export.yaml'));
    });
  });

  test('every other field, in go-yaml order, passes the official schema', () => {
    const files = synthOne((dev) => {
      const base = new GitRepository(dev, 'base', { url: 'ssh://git@github.com/acme/base' });
      new GitRepository(dev, 'fleet', {
        url: 'ssh://git@github.com/acme/fleet',
        semver: '>=1.0.0',
        timeout: Duration.seconds(90),
        proxySecretRef: 'proxy',
        recurseSubmodules: true,
        include: [{ repository: base, fromPath: 'deploy', toPath: 'base' }],
        verify: { mode: GitVerificationMode.TAG_AND_HEAD, secretRef: 'pgp-keys' },
        provider: GitProvider.AZURE,
        serviceAccountName: 'git-reader',
        suspend: true,
      });
    });
    expect(files['clusters/dev/git/repositories/fleet.yaml']).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: GitRepository',
      'metadata:',
      '  name: fleet',
      '  namespace: flux-system',
      'spec:',
      '  include:',
      '  - fromPath: deploy',
      '    repository:',
      '      name: base',
      '    toPath: base',
      '  interval: 1m0s',
      '  provider: azure',
      '  proxySecretRef:',
      '    name: proxy',
      '  recurseSubmodules: true',
      '  ref:',
      '    semver: \'>=1.0.0\'',
      '  serviceAccountName: git-reader',
      '  suspend: true',
      '  timeout: 1m30s',
      '  url: ssh://git@github.com/acme/fleet',
      '  verify:',
      '    mode: TagAndHEAD',
      '    secretRef:',
      '      name: pgp-keys',
      '',
    ].join('\n'));
    expect(files['clusters/dev/git/repositories/base.yaml']).toContain('  ref:\n    branch: main\n');
    expect(schemaViolations(files)).toEqual([]);
  });

  test('is a HelmRelease chart source: chart is the path in the repository', () => {
    const files = synthOne((dev) => {
      const src = new GitRepository(dev, 'podinfo-source', { name: 'podinfo', url: 'https://github.com/stefanprodan/podinfo', tag: '6.5.0' });
      new HelmRelease(dev, 'podinfo', { gitRepository: src, chart: './charts/podinfo' });
    });
    expect(files['clusters/dev/helm/releases/podinfo.yaml']).toContain([
      '  chart:',
      '    spec:',
      '      chart: ./charts/podinfo',
      '      reconcileStrategy: ChartVersion',
      '      sourceRef:',
      '        kind: GitRepository',
      '        name: podinfo',
    ].join('\n'));
    expect(schemaViolations(files)).toEqual([]);
  });

  test('fails on refs that do not go together, a bad URL, a commit that is no SHA, and a GitHub provider without secretRef', () => {
    const repo = new GitOpsRepo({ outdir: mkdtemp(), printWarnings: false });
    const dev = new FluxCluster(repo, 'dev');
    new GitRepository(dev, 'a', { url: 'git@github.com:acme/fleet.git', tag: 'v1', semver: '1.x', branch: 'main' });
    new GitRepository(dev, 'b', { url: 'https://github.com/acme/fleet', commit: 'HEAD', refName: 'main', provider: GitProvider.GITHUB });
    const src = new GitRepository(dev, 'c', { url: 'https://github.com/acme/fleet' });
    new HelmRelease(dev, 'r', { gitRepository: src, chart: './chart', version: '1.0.0' });
    expect(synthError(repo)).toEqual([
      'synth found 8 problems and wrote nothing:',
      '  - dev/a: url: must be an absolute URL with scheme http, https, ssh (got "git@github.com:acme/fleet.git")',
      '  - dev/a: semver: must not be combined with tag: give one of tag, semver, refName and commit (a commit may come with its branch) (got "1.x")',
      '  - dev/a: branch: must not be combined with tag: the branch is followed only without a tag, semver range or refName (got "main")',
      '  - dev/b: commit: must not be combined with refName: give one of tag, semver, refName and commit (a commit may come with its branch) (got "HEAD")',
      '  - dev/b: commit: must be a commit SHA in lowercase hex (at least 7 characters) (got "HEAD")',
      '  - dev/b: refName: must be a full reference name starting with \'refs/\', such as \'refs/heads/main\' or \'refs/pull/420/head\' (got "main")',
      '  - dev/b: secretRef: must be set with provider GITHUB: it names the Secret with the GitHub App\'s id, installation id and private key',
    ].join('\n') + '\n  - dev/r: version: must be left out for a chart from a GitRepository: Flux builds the chart at its path, whatever its version (got "1.0.0")');
  });
});

test('GitRepository: null props from a JavaScript caller are refused by name', () => {
  const dev = new FluxCluster(new GitOpsRepo({ outdir: mkdtemp() }), 'dev');
  expect(() => new GitRepository(dev, 'x', null as any)).toThrow('dev/x: props: must be an object of GitRepositoryProps (got null)');
});
