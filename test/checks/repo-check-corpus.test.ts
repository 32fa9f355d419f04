import * as fs from 'fs';
import * as path from 'path';
import { Finding, RepositoryCheck } from '../../src';

/*
 * The corpus: small repositories under test/checks/corpus, each reproducing one cause of a false
 * (or a missing) finding seen on real fleets (issue 13), written from the kustomize and Flux rules.
 */

const CORPUS = path.join(__dirname, 'corpus');

function rules(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}${f.object ? ` ${f.object}` : ''}`);
}

const check = (name: string) => RepositoryCheck.run(path.join(CORPUS, name));

test('every corpus repository has a test', () => {
  const tested = ['yaml-quoted-continuation', 'archived-kustomization', 'remote-generator-file', 'foreign-git-source',
    'kustomization-references', 'kustomize-replacements',
    'shared-base', 'unlisted-manifest'];
  expect(fs.readdirSync(CORPUS).filter((d) => fs.statSync(path.join(CORPUS, d)).isDirectory()).filter((d) => !tested.includes(d))).toEqual([]);
});

test('quoted scalars continued at the key\'s indentation read as go-yaml reads them; an unclosed quote is one error', () => {
  const f = check('yaml-quoted-continuation').findings;
  // A plain scalar continued at its key's indentation is an error for go-yaml too (kubectl kustomize: 'could not find expected ':'').
  expect(rules(f)).toEqual(['error yaml-syntax clusters/dev/broken.yaml:7 ConfigMap/default/broken', 'error yaml-syntax clusters/dev/plain-broken.yaml:8 ConfigMap/default/plain']);
  expect(f[0].message).toContain('a quoted string that starts here is never closed');
});

test('without a bootstrap folder, a Kustomization nothing lists, applies or depends on is not taken as applied', () => {
  expect(rules(check('archived-kustomization').findings)).toEqual([
    'error missing-path archive/half-moved.yaml:9 Kustomization/flux-system/half-moved',
  ]);
});

test('generator files and resources given as URLs are not fetched, and are no errors', () => {
  expect(rules(check('remote-generator-file').findings)).toEqual([]);
});

test('the path of a Kustomization of another Git repository is not looked for here', () => {
  expect(rules(check('foreign-git-source').findings)).toEqual([
    'error missing-path clusters/dev/apps.yaml:9 Kustomization/flux-system/apps',
  ]);
});

test('a Kustomization\'s dependsOn to nothing, substituteFrom a missing ConfigMap or Secret (not optional), a sourceRef namespace typo', () => {
  const f = check('kustomization-references').findings;
  expect(rules(f)).toEqual([
    'error dangling-reference clusters/dev/apps.yaml:16 Kustomization/flux-system/apps',
    'error dangling-reference clusters/dev/apps.yaml:21 Kustomization/flux-system/apps',
    'error dangling-reference clusters/dev/tenants.yaml:14 Kustomization/flux-system/tenants',
  ]);
  expect(f.map((x) => x.message.split(':')[0])).toEqual([
    'spec.dependsOn[1] names Kustomization \'monitoring\' in namespace \'flux-system\', which is not in the repo',
    'spec.postBuild.substituteFrom[1] reads Secret \'cluster-secrets\' in namespace \'flux-system\', which is not in the repo',
    'spec.sourceRef points to GitRepository \'flux-system\' in namespace \'flux-sytem\', which has none; there is one in namespace \'flux-system\'',
  ]);
  expect(f[2].fix).toBe('set spec.sourceRef.namespace: flux-system');
});

test('kustomize replacements are applied: objects they move to other namespaces are not duplicates', () => {
  expect(rules(check('kustomize-replacements').findings)).toEqual([]);
});

test('the same finding in a base that two clusters share is reported once, naming both', () => {
  const report = check('shared-base');
  expect(rules(report.findings)).toEqual([
    'error missing-resource apps/base/kustomization.yaml:6',
    'error dangling-reference apps/base/release.yaml:11 HelmRelease/podinfo/podinfo',
  ]);
  expect(report.findings.map((f) => f.clusters)).toEqual([['clusters/production', 'clusters/staging'], ['clusters/production', 'clusters/staging']]);
  expect(RepositoryCheck.format(report)).toContain('        in 2 clusters: clusters/production, clusters/staging\n');
});

test('a manifest in a cluster folder that its kustomization.yaml does not list is a warning (Flux does not apply it)', () => {
  const f = check('unlisted-manifest').findings;
  expect(rules(f)).toEqual(['warning unlisted-manifest clusters/dev/monitoring.yaml']);
  expect(f[0].fix).toBe('list it under resources: in clusters/dev/kustomization.yaml, or move it out of the folder');
});
