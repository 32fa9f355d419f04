import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, RepositoryCheck } from '../../src';
import { MAX_FILE_BYTES } from '../../src/checks/repo-check/tree';
import { mkdtemp, writeTree } from '../util';

/*
 * Hostile and broken files (issue 12): each is a finding of its own, and the rest of the repo is
 * still checked. Time bounds are jest timeouts only.
 */

const K = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const PLACEHOLDER = '# This file will be generated automatically by flux boostrap.\n';
const BASE = {
  'clusters/dev/flux-system/gotk-components.yaml': PLACEHOLDER,
  'clusters/dev/flux-system/gotk-sync.yaml': PLACEHOLDER,
  'clusters/dev/flux-system/kustomization.yaml': `${K}resources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n`,
  // A planted defect: it must still be found next to every bad file.
  'clusters/dev/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  a: b\n',
};

function rules(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}`);
}

const PLANTED = 'error plain-secret clusters/dev/secret.yaml:1';

describe('bad files are findings, and the check goes on', () => {
  test('a folder symlink loop and a symlink to a parent folder are not walked', () => {
    const dir = writeTree(BASE);
    fs.symlinkSync('..', path.join(dir, 'clusters/dev/up'));
    fs.mkdirSync(path.join(dir, 'clusters/dev/apps'));
    fs.symlinkSync('../apps', path.join(dir, 'clusters/dev/apps/self'));
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual(['error unreadable-file clusters/dev/apps/self', PLANTED, 'error unreadable-file clusters/dev/up']);
    expect(f[0].message).toContain('a folder loop');
  }, 20000);

  test('a symlink to a folder or a file inside the repo is read', () => {
    const dir = writeTree({ ...BASE, 'shared/secret2.yaml': BASE['clusters/dev/secret.yaml'].replace('name: s', 'name: s2') });
    fs.symlinkSync('../../shared', path.join(dir, 'clusters/dev/shared'));
    fs.symlinkSync('../../shared/secret2.yaml', path.join(dir, 'clusters/dev/linked.yaml'));
    const f = RepositoryCheck.run(dir).findings;
    // Both lead to the same file, under two names, as kustomize sees it: the second one is a duplicate.
    expect(rules(f)).toEqual(['error plain-secret clusters/dev/linked.yaml:1', PLANTED, 'error duplicate-object clusters/dev/shared/secret2.yaml:1']);
  }, 20000);

  test('a file symlink loop, a dangling symlink and a symlink to /dev/zero', () => {
    const dir = writeTree(BASE);
    fs.symlinkSync('b.yaml', path.join(dir, 'clusters/dev/a.yaml'));
    fs.symlinkSync('a.yaml', path.join(dir, 'clusters/dev/b.yaml'));
    fs.symlinkSync('nowhere.yaml', path.join(dir, 'clusters/dev/c.yaml'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'clusters/dev/zero.yaml'));
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual([
      'error unreadable-file clusters/dev/a.yaml',
      'error unreadable-file clusters/dev/b.yaml',
      PLANTED,
      'error unreadable-file clusters/dev/zero.yaml',
    ]);
    expect(f[0].message).toContain('a symlink loop');
    expect(f[3].message).toContain('outside the repo');
  }, 20000);

  test('a named pipe is not opened (it would block)', () => {
    const dir = writeTree(BASE);
    execFileSync('mkfifo', [path.join(dir, 'clusters/dev/pipe.yaml')]);
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual(['error unreadable-file clusters/dev/pipe.yaml', PLANTED]);
    expect(f[0].message).toContain('a named pipe');
  }, 20000);

  test('a file name that is not UTF-8', () => {
    const dir = writeTree(BASE);
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'clusters/dev/')), Buffer.from([0x66, 0xff, 0x2e, 0x79, 0x61, 0x6d, 0x6c])]), 'a: 1\n');
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual(['error unreadable-file clusters/dev/f?.yaml', PLANTED]);
    expect(f[0].message).toContain('not UTF-8 (bytes 66ff2e79616d6c)');
  }, 20000);

  test('a file larger than the limit is not read', () => {
    const dir = writeTree(BASE);
    const big = path.join(dir, 'clusters/dev/big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_FILE_BYTES + 1);
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual(['error unreadable-file clusters/dev/big.yaml', PLANTED]);
    expect(f[0].message).toContain('more than the 16 MiB the check reads');
  }, 20000);

  test('nothing is read outside the repo through a symlink: a file, a folder, a resource path', () => {
    const outside = mkdtemp('outside-');
    fs.writeFileSync(path.join(outside, 'leak.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\n  namespace: default\nstringData:\n  a: b\n');
    fs.writeFileSync(path.join(outside, 'kustomization.yaml'), `${K}resources:\n- leak.yaml\n`);
    const dir = writeTree({
      ...BASE,
      'clusters/dev/apps/kustomization.yaml': `${K}resources:\n- ../../../../${path.basename(outside)}\n- ${outside}\n`,
    });
    fs.symlinkSync(path.join(outside, 'leak.yaml'), path.join(dir, 'clusters/dev/leak.yaml'));
    fs.symlinkSync(outside, path.join(dir, 'clusters/dev/outside'));
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual([
      'error missing-resource clusters/dev/apps/kustomization.yaml:4',
      'error missing-resource clusters/dev/apps/kustomization.yaml:5',
      'error unreadable-file clusters/dev/leak.yaml',
      'error unreadable-file clusters/dev/outside',
      PLANTED,
    ]);
    expect(f[0].message).toContain('outside the repo');
    expect(f.some((x) => x.message.includes('leak') && x.rule === 'plain-secret')).toBe(false);
  }, 20000);
});

describe('large files in linear time', () => {
  test('a 10 MB YAML file is read, and a duplicate key at its end is found', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n';
    const keys: string[] = [];
    for (let i = 0; text.length + keys.length * 48 < 10e6; i++) keys.push(`  key${i}: "value number ${i} with some padding text"\n`);
    text += keys.join('') + '  key0: "again"\n';
    const dir = writeTree({ ...BASE, 'clusters/dev/big.yaml': text });
    const f = RepositoryCheck.run(dir).findings;
    expect(rules(f)).toEqual([`error yaml-syntax clusters/dev/big.yaml:${keys.length + 7}`, PLANTED]);
    expect(f[0].message).toContain('the key \'key0\' appears twice in one mapping (first on line 7)');
  }, 120000);
});
