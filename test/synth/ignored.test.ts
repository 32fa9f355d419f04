import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gitIgnoredPaths, matchesValuesRule } from '../../src/synth/ignored';
import { mkdtemp } from '../util';

describe('matchesValuesRule (the .gitignore rules GitOpsRepo keeps)', () => {
  test('matches plain-text values files at any depth, not sealed ones', () => {
    expect(['cert-manager-values-v1.8.0.yaml', 'a/b/team-values-api.yaml', 'x-values-.yaml'].map(matchesValuesRule)).toEqual([true, true, true]);
    expect(['cert-manager-values-sealed.yaml', 'values.yaml', 'a-values-b.yml', 'a-values/b.yaml'].map(matchesValuesRule)).toEqual([false, false, false, false]);
  });
});

describe('gitIgnoredPaths', () => {
  const hasGit = spawnSync('git', ['--version']).status === 0;

  test('names the rule that ignores each path, tracked or not, and leaves re-included ones out', () => {
    if (!hasGit) return;
    const dir = mkdtemp();
    spawnSync('git', ['init', '-q'], { cwd: dir });
    fs.writeFileSync(path.join(dir, '.gitignore'), '*-values-*.yaml\n!*-sealed.yaml\nsecret*\n');
    fs.mkdirSync(path.join(dir, 'sub dir'));
    expect(gitIgnoredPaths(dir, ['a/b-values-x.yaml', 'a/b-values-sealed.yaml', 'secret.yaml', 'ok.yaml', 'sub dir/x-values-1.yaml'])).toEqual(new Map([
      ['a/b-values-x.yaml', '.gitignore:1: *-values-*.yaml'],
      ['secret.yaml', '.gitignore:3: secret*'],
      ['sub dir/x-values-1.yaml', '.gitignore:1: *-values-*.yaml'],
    ]));
  });

  test('is empty for a folder that the enclosing work tree ignores as a whole (the Quick start\'s out/)', () => {
    if (!hasGit) return;
    const dir = mkdtemp();
    spawnSync('git', ['init', '-q'], { cwd: dir });
    fs.writeFileSync(path.join(dir, '.gitignore'), '/out/\n*-values-*.yaml\n');
    fs.mkdirSync(path.join(dir, 'out'));
    expect(gitIgnoredPaths(path.join(dir, 'out'), ['clusters/dev/kustomization.yaml', 'a-values-b.yaml'])).toEqual(new Map());
  });

  test('is empty outside a Git work tree', () => {
    expect(gitIgnoredPaths(mkdtemp(), ['x-values-1.yaml'])).toEqual(new Map());
  });
});
