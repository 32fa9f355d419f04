import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository } from '../src';
import { mkdtemp, quietly, readTree } from './util';
import { updateGitignore } from '../src/repo';

function define(outdir: string, releases: string[]): GitOpsRepo {
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev');
  const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
  for (const r of releases) new HelmRelease(dev, r, { repository: bitnami, chart: r, version: '1.0.0' });
  return repo;
}

describe('GitOpsRepo', () => {
  test('writes the tree, the ownership record and the .gitignore', () => {
    const outdir = mkdtemp();
    const result = define(outdir, ['redis']).synth();
    expect(result.files).toEqual([
      '.cdk8s-flux-gitops.json',
      'clusters/dev/helm/releases/redis.yaml',
      'clusters/dev/helm/repositories/bitnami.yaml',
      'clusters/dev/kustomization.yaml',
    ]);
    const files = readTree(outdir);
    expect(Object.keys(files)).toEqual([
      '.cdk8s-flux-gitops.json', '.gitignore', 'clusters/dev/helm/releases/redis.yaml', 'clusters/dev/helm/repositories/bitnami.yaml', 'clusters/dev/kustomization.yaml',
    ]);
    expect(files['clusters/dev/kustomization.yaml']).toEqual([
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '- helm/releases/redis.yaml',
      '- helm/repositories/bitnami.yaml',
      '',
    ].join('\n'));
    expect(files['.gitignore']).toEqual([
      '# Plain-text Helm values stay out of Git; sealed files stay in (cdk8s-flux-gitops).',
      '*-values-*.yaml',
      '!*-sealed.yaml',
      '# Local sealing state of cdk8s-flux-gitops (keyed digests): never commit it.',
      '/.cdk8s-flux-gitops/',
      '',
    ].join('\n'));
    expect(Object.keys(JSON.parse(files['.cdk8s-flux-gitops.json']).files)).toEqual([
      'clusters/dev/helm/releases/redis.yaml',
      'clusters/dev/helm/repositories/bitnami.yaml',
      'clusters/dev/kustomization.yaml',
    ]);
  });

  test('keeps a hand-written cluster kustomization.yaml and names the files it does not list', () => {
    const outdir = mkdtemp();
    fs.mkdirSync(path.join(outdir, 'clusters/dev'), { recursive: true });
    const own = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- helm/repositories/\n';
    fs.writeFileSync(path.join(outdir, 'clusters/dev/kustomization.yaml'), own);
    const result = quietly(() => define(outdir, ['redis']).synth());
    expect(readTree(outdir)['clusters/dev/kustomization.yaml']).toEqual(own);
    expect(result.files).not.toContain('clusters/dev/kustomization.yaml');
    expect(result.warnings).toEqual([
      'clusters/dev/kustomization.yaml: is hand-written and does not list \'helm/releases/redis.yaml\': Flux applies only what it lists; add them to its resources, or delete it and let synth write it',
    ]);
  });

  test('a second synth changes no byte and writes no file', () => {
    const outdir = mkdtemp();
    define(outdir, ['redis', 'postgresql']).synth();
    const before = readTree(outdir);
    const mtimes = Object.keys(before).map((f) => fs.statSync(path.join(outdir, f)).mtimeMs);
    const again = define(outdir, ['redis', 'postgresql']).synth();
    expect(again.written).toEqual([]);
    expect(again.removed).toEqual([]);
    expect(readTree(outdir)).toEqual(before);
    expect(Object.keys(before).map((f) => fs.statSync(path.join(outdir, f)).mtimeMs)).toEqual(mtimes);
  });

  test('removing a release from the code removes its file, and empty folders with it', () => {
    const outdir = mkdtemp();
    define(outdir, ['redis', 'postgresql']).synth();
    const result = define(outdir, ['redis']).synth();
    expect(result.removed).toEqual(['clusters/dev/helm/releases/postgresql.yaml']);
    expect(fs.existsSync(path.join(outdir, 'clusters/dev/helm/releases/postgresql.yaml'))).toBe(false);
    define(outdir, []).synth();
    expect(fs.existsSync(path.join(outdir, 'clusters/dev/helm/releases'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'clusters/dev/helm/repositories/bitnami.yaml'))).toBe(true);
  });

  test('hand-written files survive every synth', () => {
    const outdir = mkdtemp();
    const handWritten = path.join(outdir, 'clusters/dev/apps/namespace.yaml');
    fs.mkdirSync(path.dirname(handWritten), { recursive: true });
    fs.writeFileSync(handWritten, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
    define(outdir, ['redis']).synth();
    define(outdir, []).synth();
    expect(fs.readFileSync(handWritten, 'utf8')).toEqual('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
  });

  test('an object also in a hand-written manifest of the cluster (as the tutorial\'s releases/redis-v1.0.0.yaml) is a problem', () => {
    const outdir = mkdtemp();
    const tutorial = path.join(outdir, 'clusters/dev/releases/redis-v1.0.0.yaml');
    fs.mkdirSync(path.dirname(tutorial), { recursive: true });
    const text = [
      '---',
      'apiVersion: helm.toolkit.fluxcd.io/v2beta1',
      'kind: HelmRelease',
      'metadata:',
      '  name: redis',
      '  namespace: flux-system',
      'spec:',
      '  interval: 1m0s',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: redis',
      '',
    ].join('\n');
    fs.writeFileSync(tutorial, text);
    expect(() => define(outdir, ['redis', 'postgresql']).synth()).toThrow([
      'synth found 1 problem and wrote nothing:',
      '  - dev/redis: name: must be unique in its cluster: helm.toolkit.fluxcd.io/HelmRelease/flux-system/redis is also in the hand-written \'clusters/dev/releases/redis-v1.0.0.yaml\' (helm.toolkit.fluxcd.io/v2beta1); Flux fails with \'may not add resource with an already registered id\': delete that file now that the code defines the object, or set \'name\' (got "redis")',
    ].join('\n'));
    expect(readTree(outdir)).toEqual({ 'clusters/dev/releases/redis-v1.0.0.yaml': text });
  });

  describe('what synth puts in front of Flux must reach Git and be Kubernetes objects', () => {
    test('a name that makes a git-ignored file (\'-values-\', or a rule of the user\'s own .gitignore) is refused', () => {
      const outdir = mkdtemp();
      spawnSync('git', ['init', '-q'], { cwd: outdir });
      fs.writeFileSync(path.join(outdir, '.gitignore'), '*-values-*.yaml\n!*-sealed.yaml\n/.cdk8s-flux-gitops/\nclusters/dev/helm/releases/tmp-*\n');
      const repo = new GitOpsRepo({ outdir });
      const dev = new FluxCluster(repo, 'dev');
      const charts = new HelmRepository(dev, 'chart-values-repo', { url: 'https://charts.bitnami.com/bitnami' });
      new HelmRelease(dev, 'tmp-api', { repository: charts, chart: 'nginx' });
      expect(() => repo.synth()).toThrow([
        'synth found 2 problems and wrote nothing:',
        '  - dev/chart-values-repo: name: must give a file that reaches Git: \'clusters/dev/helm/repositories/chart-values-repo.yaml\' is git-ignored by the .gitignore rule \'*-values-*.yaml\' for plain-text values files, so Flux would never see it (and a clone could not build the cluster); choose a name without \'-values-\' or change that rule (got "chart-values-repo.yaml")',
        '  - dev/tmp-api: name: must give a file that reaches Git: \'clusters/dev/helm/releases/tmp-api.yaml\' is git-ignored by \'.gitignore:4: clusters/dev/helm/releases/tmp-*\', so Flux would never see it (and a clone could not build the cluster); choose a name without \'-values-\' or change that rule (got "tmp-api.yaml")',
      ].join('\n'));
    });

    test('a hand-written file it would list that is not Kubernetes objects, does not parse or is git-ignored is refused', () => {
      const outdir = mkdtemp();
      const apps = path.join(outdir, 'clusters/dev/apps');
      fs.mkdirSync(apps, { recursive: true });
      fs.writeFileSync(path.join(apps, 'notes.yml'), 'replicaCount: 2\n');
      fs.writeFileSync(path.join(apps, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n');
      fs.writeFileSync(path.join(apps, 'podinfo-values-configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo-values\n  namespace: apps\n');
      fs.writeFileSync(path.join(apps, 'fine.yaml'), '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n  namespace: apps\n---\n');
      expect(() => define(outdir, ['redis']).synth()).toThrow([
        'synth found 3 problems and wrote nothing:',
        '  - dev: path: must not list a file that Git ignores: \'clusters/dev/apps/podinfo-values-configmap.yaml\' is git-ignored by the .gitignore rule \'*-values-*.yaml\' for plain-text values files, so it never reaches Git, and Flux would fail to find what the cluster\'s kustomization.yaml lists; rename it, or move it out of the cluster path (values files belong at the repo root) (got "clusters/dev/apps/podinfo-values-configmap.yaml")',
        '  - dev: path: must hold only YAML that parses: \'clusters/dev/apps/broken.yaml\' line 5 does not (BAD_INDENT), and synth lists it for Flux, which would fail the whole cluster; fix it or move it out of the cluster path (got "clusters/dev/apps/broken.yaml")',
        '  - dev: path: must hold only Kubernetes objects: \'clusters/dev/apps/notes.yml\' has YAML that is none (no apiVersion, kind and metadata.name), and synth lists it for Flux, which fails the whole cluster with \'missing Resource metadata\'; move it out of the cluster path (values files belong at the repo root) (got "clusters/dev/apps/notes.yml")',
      ].join('\n'));
    });
  });

  test('a hand edit of a file synth owns is put right by the next synth', () => {
    const outdir = mkdtemp();
    define(outdir, ['redis']).synth();
    const file = path.join(outdir, 'clusters/dev/helm/releases/redis.yaml');
    const ours = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, ours.replace('1.0.0', '9.9.9'));
    const result = define(outdir, ['redis']).synth();
    expect(result.written).toEqual(['clusters/dev/helm/releases/redis.yaml']);
    expect(fs.readFileSync(file, 'utf8')).toEqual(ours);
  });

  test('fails on a clash with a file it did not write, and writes nothing', () => {
    const outdir = mkdtemp();
    const clash = path.join(outdir, 'clusters/dev/helm/releases/redis.yaml');
    fs.mkdirSync(path.dirname(clash), { recursive: true });
    fs.writeFileSync(clash, '# mine\n');
    expect(() => define(outdir, ['redis', 'postgresql']).synth()).toThrow([
      'synth found 1 problem and wrote nothing:',
      '  - dev/redis: path: would overwrite \'clusters/dev/helm/releases/redis.yaml\', a file synth did not write (a hand-written manifest or one from flux bootstrap); rename the object or move that file (if synth did write it, restore .cdk8s-flux-gitops.json from Git) (got "clusters/dev/helm/releases/redis.yaml")',
    ].join('\n'));
    expect(readTree(outdir)).toEqual({ 'clusters/dev/helm/releases/redis.yaml': '# mine\n' });
  });

  test('a failed synth leaves a written tree exactly as it was', () => {
    const outdir = mkdtemp();
    define(outdir, ['redis']).synth();
    const before = readTree(outdir);
    const repo = define(outdir, ['postgresql']);
    new HelmRelease(FluxCluster.of(repo.node.findChild('dev')), 'Bad', { repository: repo.node.findChild('dev').node.findChild('bitnami') as HelmRepository, chart: 'x' });
    expect(() => repo.synth()).toThrow(/synth found 1 problem and wrote nothing/);
    expect(readTree(outdir)).toEqual(before);
  });

  test('a file where a folder of an output path must be is a problem reported before anything is written', () => {
    const outdir = mkdtemp();
    fs.mkdirSync(path.join(outdir, 'clusters/dev/helm'), { recursive: true });
    // Sorted, releases/ comes first: writing would have stopped half-way, after it.
    fs.writeFileSync(path.join(outdir, 'clusters/dev/helm/repositories'), 'not a folder\n');
    expect(() => define(outdir, ['redis']).synth()).toThrow([
      'synth found 1 problem and wrote nothing:',
      '  - dev/bitnami: path: cannot write \'clusters/dev/helm/repositories/bitnami.yaml\': \'clusters/dev/helm/repositories\' is a file where a folder must be; move it (got "clusters/dev/helm/repositories/bitnami.yaml")',
    ].join('\n'));
    expect(readTree(outdir)).toEqual({ 'clusters/dev/helm/repositories': 'not a folder\n' });
  });

  test('a folder in the way of .gitignore is a problem reported before anything is written', () => {
    const outdir = mkdtemp();
    fs.mkdirSync(path.join(outdir, '.gitignore', 'x'), { recursive: true });
    expect(() => define(outdir, ['redis']).synth()).toThrow([
      'synth found 1 problem and wrote nothing:',
      '  - .gitignore: path: must be a file: synth keeps its rules for values files there; move what is in the way (got ".gitignore")',
    ].join('\n'));
    expect(fs.readdirSync(outdir)).toEqual(['.gitignore']);
  });

  test('a failed synth changes no byte of the tree, the .gitignore or the ownership record', () => {
    const outdir = mkdtemp();
    fs.writeFileSync(path.join(outdir, '.gitignore'), 'node_modules/\r\n');
    define(outdir, ['redis', 'postgresql']).synth();
    fs.writeFileSync(path.join(outdir, '.gitignore'), 'node_modules/\r\n');
    const before = readTree(outdir);
    const repo = define(outdir, ['redis']); // postgresql would be removed, .gitignore completed
    new HelmRelease(repo.node.findChild('dev'), 'broken', { repository: repo.node.findChild('dev').node.findChild('bitnami') as HelmRepository, chart: 'x', releaseName: 'Not_Valid' });
    expect(() => repo.synth()).toThrow(/synth found 1 problem and wrote nothing:\n  - dev\/broken: releaseName: /);
    expect(readTree(outdir)).toEqual(before);
  });

  describe('.gitignore', () => {
    test('a CRLF file stays CRLF, and a file without a final newline gets its lines kept', () => {
      const crlf = mkdtemp();
      fs.writeFileSync(path.join(crlf, '.gitignore'), 'node_modules/\r\n*.log\r\n');
      updateGitignore(crlf);
      expect(fs.readFileSync(path.join(crlf, '.gitignore'), 'utf8')).toEqual([
        'node_modules/',
        '*.log',
        '',
        '# Plain-text Helm values stay out of Git; sealed files stay in (cdk8s-flux-gitops).',
        '*-values-*.yaml',
        '!*-sealed.yaml',
        '# Local sealing state of cdk8s-flux-gitops (keyed digests): never commit it.',
        '/.cdk8s-flux-gitops/',
        '',
      ].join('\r\n'));
      expect(updateGitignore(crlf)).toBe(false);

      const noFinalNewline = mkdtemp();
      fs.writeFileSync(path.join(noFinalNewline, '.gitignore'), 'node_modules/\r\n*-values-*.yaml\r\n!*-sealed.yaml');
      updateGitignore(noFinalNewline);
      expect(fs.readFileSync(path.join(noFinalNewline, '.gitignore'), 'utf8')).toEqual([
        'node_modules/',
        '*-values-*.yaml',
        '!*-sealed.yaml',
        '',
        '# Local sealing state of cdk8s-flux-gitops (keyed digests): never commit it.',
        '/.cdk8s-flux-gitops/',
        '',
      ].join('\r\n'));
    });

    test('rules already there in the right order, with another state-folder spelling, are left alone', () => {
      const outdir = mkdtemp();
      const text = '.cdk8s-flux-gitops/\n# values\n*-values-*.yaml\n!*-sealed.yaml\ndist';
      fs.writeFileSync(path.join(outdir, '.gitignore'), text);
      expect(updateGitignore(outdir)).toBe(false);
      expect(fs.readFileSync(path.join(outdir, '.gitignore'), 'utf8')).toEqual(text);
    });

    test('keeps every line that was there and adds the rules once', () => {
      const outdir = mkdtemp();
      fs.writeFileSync(path.join(outdir, '.gitignore'), 'node_modules/\n*.log');
      expect(updateGitignore(outdir)).toBe(true);
      expect(updateGitignore(outdir)).toBe(false);
      expect(fs.readFileSync(path.join(outdir, '.gitignore'), 'utf8')).toEqual([
        'node_modules/',
        '*.log',
        '',
        '# Plain-text Helm values stay out of Git; sealed files stay in (cdk8s-flux-gitops).',
        '*-values-*.yaml',
        '!*-sealed.yaml',
        '# Local sealing state of cdk8s-flux-gitops (keyed digests): never commit it.',
        '/.cdk8s-flux-gitops/',
        '',
      ].join('\n'));
    });

    test('adds the negation again when it stands before the rule it negates', () => {
      const outdir = mkdtemp();
      fs.writeFileSync(path.join(outdir, '.gitignore'), '!*-sealed.yaml\n*-values-*.yaml\n/.cdk8s-flux-gitops/\n');
      updateGitignore(outdir);
      expect(fs.readFileSync(path.join(outdir, '.gitignore'), 'utf8')).toEqual([
        '!*-sealed.yaml',
        '*-values-*.yaml',
        '/.cdk8s-flux-gitops/',
        '',
        '# Plain-text Helm values stay out of Git; sealed files stay in (cdk8s-flux-gitops).',
        '!*-sealed.yaml',
        '',
      ].join('\n'));
    });
  });
});
