import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository } from '../src';
import { golden, mkdtemp, quietly, readTree, schemaViolations } from './util';

describe('FluxCluster', () => {
  test('sync writes gotk-sync.yaml and kustomization.yaml exactly as flux bootstrap does, never gotk-components.yaml', () => {
    // GIVEN
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' } });
    // WHEN
    const result = quietly(() => repo.synth());
    // THEN
    const files = readTree(outdir);
    expect(files['clusters/dev/flux-system/gotk-sync.yaml']).toEqual(golden('flux-bootstrap/gotk-sync.yaml'));
    expect(files['clusters/dev/flux-system/kustomization.yaml']).toEqual(golden('flux-bootstrap/kustomization.yaml'));
    expect(files['clusters/dev/flux-system/gotk-components.yaml']).toBeUndefined();
    expect(result.warnings).toEqual([
      'clusters/dev/flux-system/gotk-components.yaml: not there yet; run \'flux bootstrap\' (or \'flux install --export > clusters/dev/flux-system/gotk-components.yaml\') before Flux can reconcile this cluster',
    ]);
  });

  test('sync with a tag, a custom path, namespace, interval and secret', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'prod', {
      path: './fleet/production/',
      namespace: 'gitops',
      sync: { url: 'https://github.com/acme/fleet.git', tag: 'v1.2.0', interval: Duration.minutes(5), secretName: 'github-token' },
    });
    quietly(() => repo.synth());
    const sync = readTree(outdir)['fleet/production/flux-system/gotk-sync.yaml'];
    expect(schemaViolations({ 'clusters/x.yaml': sync })).toEqual([]);
    expect(sync).toContain([
      'metadata:',
      '  name: gitops',
      '  namespace: gitops',
      'spec:',
      '  interval: 5m0s',
      '  ref:',
      '    tag: v1.2.0',
      '  secretRef:',
      '    name: github-token',
      '  url: https://github.com/acme/fleet.git',
    ].join('\n'));
    expect(sync).toContain('  path: ./fleet/production\n');
  });

  test('without sync, a flux bootstrap flux-system folder is never touched', () => {
    const outdir = mkdtemp();
    const fluxSystem = path.join(outdir, 'clusters/dev/flux-system');
    fs.mkdirSync(fluxSystem, { recursive: true });
    fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '# components\n');
    fs.writeFileSync(path.join(fluxSystem, 'gotk-sync.yaml'), '# sync, by flux bootstrap\n');
    fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), '# kustomization, by flux bootstrap\n');
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev');
    new HelmRepository(dev, 'jetstack', { url: 'https://charts.jetstack.io' });
    repo.synth();
    const files = readTree(outdir);
    expect(files['clusters/dev/flux-system/gotk-components.yaml']).toEqual('# components\n');
    expect(files['clusters/dev/flux-system/gotk-sync.yaml']).toEqual('# sync, by flux bootstrap\n');
    expect(files['clusters/dev/flux-system/kustomization.yaml']).toEqual('# kustomization, by flux bootstrap\n');
  });

  test('with sync, an identical bootstrap gotk-sync.yaml is adopted and a customized kustomization.yaml is kept', () => {
    const outdir = mkdtemp();
    const fluxSystem = path.join(outdir, 'clusters/dev/flux-system');
    fs.mkdirSync(fluxSystem, { recursive: true });
    fs.writeFileSync(path.join(fluxSystem, 'gotk-components.yaml'), '# components\n');
    fs.writeFileSync(path.join(fluxSystem, 'gotk-sync.yaml'), golden('flux-bootstrap/gotk-sync.yaml'));
    const customized = golden('flux-bootstrap/kustomization.yaml') + 'patches:\n- path: patch.yaml\n';
    fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), customized);
    const repo = new GitOpsRepo({ outdir });
    new FluxCluster(repo, 'dev', { sync: { url: 'ssh://git@github.com/acme/fleet' } });
    const result = quietly(() => repo.synth());
    expect(readTree(outdir)['clusters/dev/flux-system/kustomization.yaml']).toEqual(customized);
    expect(result.written).toEqual(['.cdk8s-flux-gitops.json', '.gitignore']);
    expect(result.files).toContain('clusters/dev/flux-system/gotk-sync.yaml');
    expect(result.warnings).toEqual([
      'clusters/dev/flux-system/kustomization.yaml: kept as it is (it was customized); make sure it lists gotk-components.yaml and gotk-sync.yaml',
    ]);
  });

  test('several clusters in one repo each get their own tree', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    for (const id of ['dev', 'staging', 'prod']) {
      const cluster = new FluxCluster(repo, id);
      const podinfo = new HelmRepository(cluster, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      new HelmRelease(cluster, 'podinfo-release', { name: 'podinfo', repository: podinfo, chart: 'podinfo', version: id === 'prod' ? '6.5.0' : '6.6.0' });
    }
    repo.synth();
    expect(Object.keys(readTree(outdir)).filter((f) => f.startsWith('clusters/'))).toEqual([
      'clusters/dev/helm/releases/podinfo.yaml',
      'clusters/dev/helm/repositories/podinfo.yaml',
      'clusters/prod/helm/releases/podinfo.yaml',
      'clusters/prod/helm/repositories/podinfo.yaml',
      'clusters/staging/helm/releases/podinfo.yaml',
      'clusters/staging/helm/repositories/podinfo.yaml',
    ]);
  });

  describe('fails', () => {
    test('on nested or equal cluster paths, a bad namespace and a bad sync', () => {
      const outdir = mkdtemp();
      const repo = new GitOpsRepo({ outdir });
      new FluxCluster(repo, 'dev');
      new FluxCluster(repo, 'dev-apps', { path: 'clusters/dev/apps', namespace: 'Flux_System' });
      new FluxCluster(repo, 'escape', { path: '../elsewhere', sync: { url: 'git@github.com:acme/fleet.git', branch: 'main', tag: 'v1' } });
      expect(() => repo.synth()).toThrow([
        'synth found 5 problems and wrote nothing:',
        '  - dev-apps: path: must not be or contain the path of cluster \'dev\' (\'clusters/dev\'): each cluster needs a folder of its own (got "clusters/dev/apps")',
        '  - dev-apps: namespace: must be a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit (got "Flux_System")',
        '  - escape: path: must be a folder inside the repo, such as \'clusters/dev\' (got "../elsewhere")',
        '  - escape: sync.url: must be an absolute URL with scheme http, https, ssh (got "git@github.com:acme/fleet.git")',
        '  - escape: sync: must set at most one of branch, tag, semver and commit (got {"branch":"main","tag":"v1"})',
      ].join('\n'));
      expect(readTree(outdir)).toEqual({});
    });

    test('when a construct is not inside a cluster', () => {
      const repo = new GitOpsRepo({ outdir: mkdtemp() });
      expect(() => new HelmRepository(repo, 'jetstack', { url: 'https://charts.jetstack.io' })).toThrow(
        'jetstack: must be defined inside a FluxCluster (it is in \'the root\'): pass the FluxCluster, or a construct inside it, as the scope');
    });
  });
});
