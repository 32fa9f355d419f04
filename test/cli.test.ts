import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mkdtemp } from './util';
import { main } from '../src/cli';

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

  test('drift names the generated files that differ from the commit, and passes when none do', () => {
    const repo = mkdtemp('drift-');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.mkdirSync(path.join(repo, 'clusters/dev'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'clusters/dev/a.yaml'), 'a: 1\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      expect(capture(['drift', 'clusters/dev'])).toEqual({ code: 0, out: 'no drift: the committed GitOps tree is what the code produces\n', err: '' });
      fs.writeFileSync(path.join(repo, 'clusters/dev/a.yaml'), 'a: 2\n');
      fs.writeFileSync(path.join(repo, 'clusters/dev/b.yaml'), 'b: 1\n');
      fs.writeFileSync(path.join(repo, 'notes.txt'), 'not generated\n');
      expect(capture(['drift', 'clusters/dev'])).toEqual({
        code: 1,
        out: '',
        err: 'drift: the committed GitOps tree differs from what the code produces in these files:\n'
          + '   M clusters/dev/a.yaml\n  ?? clusters/dev/b.yaml\n'
          + 'run \'npx projen synth\' and commit the result (never edit generated manifests by hand)\n',
      });
    } finally {
      process.chdir(cwd);
    }
  });

  test('usage errors exit with 2', () => {
    expect(capture(['lint']).err).toContain('unknown command \'lint\': the commands are check, drift and require-tool');
    expect(capture(['lint']).code).toBe(2);
    expect(capture([]).code).toBe(2);
    expect(capture(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('usage: cdk8s-flux-gitops check [DIR]') });
  });
});
