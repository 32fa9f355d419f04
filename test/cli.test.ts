import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mkdtemp } from './util';
import { currentKubeContext, findOnPath, main } from '../src/cli';

function capture(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = main(argv, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.env = saved;
  }
}

describe('cdk8s-flux-gitops (the command line)', () => {
  test('require-tool passes when the tool is on PATH and says where to get it when not', () => {
    const bin = mkdtemp('bin-');
    fs.writeFileSync(path.join(bin, 'flux'), '#!/bin/sh\n', { mode: 0o755 });
    expect(capture(['require-tool', 'flux'], { PATH: bin }).code).toBe(0);
    expect(capture(['require-tool', 'kubeseal'], { PATH: bin })).toEqual({
      code: 1, out: '', err: 'kubeseal not found on PATH: install it (https://github.com/bitnami-labs/sealed-secrets#kubeseal) and run this task again\n',
    });
    expect(capture(['require-tool']).code).toBe(2);
  });

  test('require-tool finds flux.exe and kubeseal.cmd on Windows (PATHEXT), in quoted folders too', () => {
    const bin = mkdtemp('win-bin-');
    const other = mkdtemp('win-other-');
    // no execute bit, as on Windows; names in another case than PATHEXT's
    fs.writeFileSync(path.join(bin, 'flux.exe'), '');
    fs.writeFileSync(path.join(other, 'kubeseal.CMD'), '');
    fs.mkdirSync(path.join(bin, 'helm.exe')); // a folder is not a program
    const env = { Path: `${bin};"${other}"`, PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    expect(findOnPath('flux', env, 'win32')).toEqual(path.join(bin, 'flux.exe'));
    expect(findOnPath('flux.exe', env, 'win32')).toEqual(path.join(bin, 'flux.exe'));
    expect(findOnPath('kubeseal', env, 'win32')).toEqual(path.join(other, 'kubeseal.CMD'));
    expect(findOnPath('helm', env, 'win32')).toBeUndefined();
    // only the extensions PATHEXT names; the defaults without it
    expect(findOnPath('flux', { ...env, PATHEXT: '.BAT' }, 'win32')).toBeUndefined();
    expect(findOnPath('flux', { Path: bin }, 'win32')).toEqual(path.join(bin, 'flux.exe'));
    // elsewhere neither the extension nor a file without the execute bit counts
    expect(findOnPath('flux', { PATH: bin }, 'linux')).toBeUndefined();
    fs.writeFileSync(path.join(bin, 'flux'), '');
    expect(findOnPath('flux', { PATH: bin }, 'linux')).toBeUndefined();
    fs.chmodSync(path.join(bin, 'flux'), 0o755);
    expect(findOnPath('flux', { PATH: bin }, 'linux')).toEqual(path.join(bin, 'flux'));

    // the command itself, on a Windows machine
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      expect(capture(['require-tool', 'kubeseal'], { PATH: `${bin};${other}`, PATHEXT: '.EXE;.CMD' }).code).toBe(0);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  test('drift names every file of the work tree that differs from the commit, GitOps manifests apart from the others', () => {
    const repo = mkdtemp('drift-');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.mkdirSync(path.join(repo, 'clusters/dev'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'clusters/prod'), { recursive: true });
    fs.mkdirSync(path.join(repo, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'clusters/dev/a.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(repo, 'clusters/prod/a.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(repo, '.github/workflows/gitops.yml'), 'on: push\n');
    fs.writeFileSync(path.join(repo, '.gitignore'), '/ignored/\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      fs.mkdirSync(path.join(repo, 'ignored'));
      fs.writeFileSync(path.join(repo, 'ignored/build.log'), 'not in Git\n');
      expect(capture(['drift', 'clusters', '.cdk8s-flux-gitops.json'])).toEqual({
        code: 0, out: 'no drift: the committed tree, GitOps manifests and project files, is what the code produces\n', err: '',
      });
      fs.writeFileSync(path.join(repo, 'clusters/dev/a.yaml'), 'a: 2\n');
      fs.writeFileSync(path.join(repo, 'clusters/dev/b c.yaml'), 'b: 1\n');
      // a cluster removed from the options: synth deleted its files
      fs.rmSync(path.join(repo, 'clusters/prod'), { recursive: true });
      // projen files not regenerated, and a stray file
      fs.writeFileSync(path.join(repo, '.github/workflows/gitops.yml'), 'on: pull_request\n');
      fs.writeFileSync(path.join(repo, 'notes.txt'), 'not generated\n');
      expect(capture(['drift', 'clusters', '.cdk8s-flux-gitops.json'])).toEqual({
        code: 1,
        out: '',
        err: 'drift: the committed GitOps tree differs from what the code produces in these files:\n'
          + '   M clusters/dev/a.yaml\n   D clusters/prod/a.yaml\n  ?? clusters/dev/b c.yaml\n'
          + 'run \'npx projen synth\' and commit the result (never edit generated manifests by hand)\n'
          + 'drift: these other files differ from the commit after the build (project files projen writes from .projenrc.ts, or files the build rewrote, as eslint --fix does):\n'
          + '   M .github/workflows/gitops.yml\n  ?? notes.txt\n'
          + 'run \'npx projen\' (after changing .projenrc.ts) or \'npx projen build\', and commit the result (never edit projen\'s generated files by hand)\n',
      });
      // only project files
      git('checkout', '-q', '--', 'clusters');
      fs.rmSync(path.join(repo, 'clusters/dev/b c.yaml'));
      const others = capture(['drift', 'clusters']);
      expect(others.code).toBe(1);
      expect(others.err).not.toContain('GitOps');
      expect(others.err).toContain('   M .github/workflows/gitops.yml\n');

      // a project in a folder of a larger repository: that folder only, its GitOps paths
      fs.mkdirSync(path.join(repo, 'fleet/clusters/dev'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'fleet/clusters/dev/a.yaml'), 'a: 1\n');
      process.chdir(path.join(repo, 'fleet'));
      expect(capture(['drift', 'clusters']).err).toEqual('drift: the committed GitOps tree differs from what the code produces in these files:\n'
        + '  ?? fleet/clusters/dev/a.yaml\n'
        + 'run \'npx projen synth\' and commit the result (never edit generated manifests by hand)\n');
    } finally {
      process.chdir(cwd);
    }
    // outside of a Git repository
    const plain = mkdtemp('no-git-');
    process.chdir(plain);
    try {
      const r = capture(['drift', 'clusters'], { GIT_CEILING_DIRECTORIES: path.dirname(plain) });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^cdk8s-flux-gitops drift: git status failed: fatal: not a git repository/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('kube-context names the context a cluster\'s tasks use: the pinned one, or the kubeconfig\'s current one', () => {
    expect(capture(['kube-context', 'prod', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod'])).toEqual({
      code: 0, err: '', out: 'prod: kube context \'arn:aws:eks:eu-west-1:123456789012:cluster/prod\' (clusterContexts in .projenrc.ts)\n',
    });
    const dir = mkdtemp('kube-');
    const empty = path.join(dir, 'empty.yaml');
    const config = path.join(dir, 'config.yaml');
    const other = path.join(dir, 'other.yaml');
    fs.writeFileSync(empty, 'apiVersion: v1\nkind: Config\ncontexts: []\n');
    fs.writeFileSync(config, 'apiVersion: v1\nkind: Config\ncurrent-context: kind-dev\ncontexts:\n- name: kind-dev\n  context: {cluster: kind-dev, user: kind-dev}\n');
    fs.writeFileSync(other, 'apiVersion: v1\nkind: Config\ncurrent-context: kind-prod\n');
    // KUBECONFIG's first file that sets current-context wins; missing files are skipped
    const kubeconfig = [path.join(dir, 'missing.yaml'), empty, config, other].join(path.delimiter);
    expect(capture(['kube-context', 'dev'], { KUBECONFIG: kubeconfig })).toEqual({
      code: 0, err: '', out: 'dev: kube context \'kind-dev\', the current one (no clusterContexts entry for dev in .projenrc.ts)\n',
    });
    expect(currentKubeContext({ KUBECONFIG: kubeconfig }).context).toEqual('kind-dev');
    // without KUBECONFIG: ~/.kube/config
    fs.mkdirSync(path.join(dir, '.kube'));
    fs.copyFileSync(other, path.join(dir, '.kube', 'config'));
    expect(currentKubeContext({ HOME: dir })).toEqual({ context: 'kind-prod', files: [path.join(dir, '.kube', 'config')] });
    // none: a line that says so (flux and kubeseal report the missing configuration themselves)
    expect(capture(['kube-context', 'dev'], { KUBECONFIG: empty })).toEqual({
      code: 0, err: '', out: `dev: no current kube context in ${empty} (and no clusterContexts entry for dev in .projenrc.ts)\n`,
    });
    expect(capture(['kube-context']).code).toBe(2);
    expect(capture(['kube-context', 'dev', 'a', 'b']).code).toBe(2);
  });

  test('usage errors exit with 2', () => {
    expect(capture(['lint']).err).toContain('unknown command \'lint\': the commands are check, drift, require-tool and kube-context');
    expect(capture(['lint']).code).toBe(2);
    expect(capture([]).code).toBe(2);
    expect(capture(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('usage: cdk8s-flux-gitops check [DIR]') });
  });
});
