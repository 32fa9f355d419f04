import * as path from 'path';
import { crdKinds, hasCrdSchema, missingBundleMessage, unknownFields, validateAgainstCrd } from '../../src/checks/schema';
import { mkdtemp } from '../util';

const release = (spec: object) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'podinfo', namespace: 'flux-system' },
  spec,
});

describe('the official CRD schemas', () => {
  test('cover the current Flux kinds and SealedSecret', () => {
    for (const k of ['helm.toolkit.fluxcd.io/v2/HelmRelease', 'source.toolkit.fluxcd.io/v1/HelmRepository', 'source.toolkit.fluxcd.io/v1/OCIRepository',
      'source.toolkit.fluxcd.io/v1/GitRepository', 'kustomize.toolkit.fluxcd.io/v1/Kustomization', 'bitnami.com/v1alpha1/SealedSecret']) {
      expect(crdKinds()).toContain(k);
    }
    expect(hasCrdSchema('v1', 'Secret')).toBe(false);
  });

  test('accept a valid HelmRelease, HelmRepository and SealedSecret (with creationTimestamp: null)', () => {
    expect(validateAgainstCrd(release({ interval: '1m0s', chart: { spec: { chart: 'podinfo', version: '6.5.0', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } }))).toEqual([]);
    expect(validateAgainstCrd({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'p', namespace: 'flux-system' }, spec: { interval: '5m0s', url: 'https://example.com' } })).toEqual([]);
    expect(validateAgainstCrd({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { creationTimestamp: null, name: 's', namespace: 'flux-system' },
      spec: { encryptedData: { a: 'AgB=' }, template: { metadata: { creationTimestamp: null, name: 's', namespace: 'flux-system' }, type: 'Opaque' } },
    })).toEqual([]);
  });

  test('refuse a version written as a number, a missing field and an unknown enum value', () => {
    expect(validateAgainstCrd(release({ interval: '1m0s', chart: { spec: { chart: 'podinfo', version: 1.1, sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } })))
      .toEqual(['spec.chart.spec.version: must be string']);
    expect(validateAgainstCrd(release({ chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } })))
      .toEqual(['spec: must have the field \'interval\'']);
    expect(validateAgainstCrd(release({ interval: '1m0s', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'OCIRepository', name: 'podinfo' } } } })))
      .toEqual(['spec.chart.spec.sourceRef.kind: must be one of "HelmRepository", "GitRepository", "Bucket"']);
  });

  test('a healthCheckExprs entry without kind (a whole API group) is valid, as today\'s CRDs say; one without current is not', () => {
    const expr = { apiVersion: 'bitnami.com/v1alpha1', current: 'status.conditions.all(e, e.status == \'True\')' };
    const ks = (healthCheckExprs: object[]) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'a', namespace: 'flux-system' },
      spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, healthCheckExprs },
    });
    expect(validateAgainstCrd(ks([expr]))).toEqual([]);
    expect(validateAgainstCrd(release({ interval: '1m', chartRef: { kind: 'OCIRepository', name: 'p' }, healthCheckExprs: [expr] }))).toEqual([]);
    expect(validateAgainstCrd(ks([{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret' }]))).toEqual(['spec.healthCheckExprs[0]: must have the field \'current\'']);
  });

  test('report fields the CRD does not declare, with the field it likely is or the version that had it', () => {
    const chart = { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } };
    const f = unknownFields(release({ intervall: '1m', chart: { spec: { ...chart, valuesFile: 'values-prod.yaml' } }, valuesFrom: [{ kind: 'Secret', name: 's', valueKey: 'a' }] }));
    expect(f.map((x) => [x.pointer, x.fix])).toEqual([
      ['/spec/intervall', 'did you mean spec.interval?'],
      ['/spec/chart/spec/valuesFile', 'valuesFile was removed in helm.toolkit.fluxcd.io/v2 (v2beta2 has it); did you mean spec.chart.spec.valuesFiles?'],
      ['/spec/valuesFrom/0/valueKey', 'did you mean spec.valuesFrom[0].valuesKey?'],
    ]);
    expect(f[1].message).toEqual('spec.chart.spec.valuesFile is not a field of HelmRelease (helm.toolkit.fluxcd.io/v2): Flux fails the whole Kustomization with '
      + '\'HelmRelease/flux-system/podinfo dry-run failed: failed to create typed patch object (flux-system/podinfo; helm.toolkit.fluxcd.io/v2, Kind=HelmRelease): .spec.chart.spec.valuesFile: field not declared in schema\'');
    // metadata is ObjectMeta: a label indented one level too little is a field of it.
    expect(unknownFields({ ...release({ interval: '1m', chartRef: { kind: 'OCIRepository', name: 'p' } }), metadata: { 'name': 'p', 'app.kubernetes.io/name': 'p' } }).map((x) => x.fix))
      .toEqual(['remove it, or move it where the HelmRelease CRD declares it; the fields of metadata are annotations, creationTimestamp, deletionGracePeriodSeconds, deletionTimestamp, finalizers, generateName, generation, labels, managedFields, name, namespace, ownerReferences, resourceVersion, selfLink, uid']);
  });

  test('but not inside free-form fields and maps, nor fields today\'s CRDs added', () => {
    expect(unknownFields(release({
      interval: '1m',
      chartRef: { kind: 'OCIRepository', name: 'p' },
      values: { anything: { goes: [{ here: true }] } },
      commonMetadata: { labels: { 'team.example.com/owner': 'a' } },
      valuesFrom: [{ kind: 'ConfigMap', name: 'c', literal: true }],
      postRenderStrategy: 'nohooks',
    }))).toEqual([]);
    expect(unknownFields({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', creationTimestamp: null }, spec: { encryptedData: { a: 'AgB' }, template: { metadata: { creationTimestamp: null } } } })).toEqual([]);
  });
});

describe('the schema bundle', () => {
  test('is found under lib/vendor, where compile writes it and the package ships it', () => {
    expect(crdKinds().length).toBeGreaterThan(10);
  });

  test('missing from an installed package: the message says to reinstall it, and names no task of this repository', () => {
    const installed = path.join(mkdtemp('installed-'), 'node_modules', 'cdk8s-flux-gitops', 'lib', 'vendor', 'flux-schemas.cjs');
    const message = missingBundleMessage(installed);
    expect(message).toEqual(`cdk8s-flux-gitops is incomplete: the Flux CRD schemas it ships (${installed}) are missing. `
      + 'Reinstall the package (npm install cdk8s-flux-gitops, or remove node_modules and install again); '
      + 'a tarball that lacks lib/vendor/flux-schemas.cjs was packed from an incomplete build');
    expect(message).not.toContain('projen');
    // in a checkout of this repository, the task that writes it too
    const checkout = missingBundleMessage(path.join(__dirname, '..', '..', 'lib', 'vendor', 'missing.cjs'));
    expect(checkout).toContain('(in a checkout of cdk8s-flux-gitops: npx projen compile, or npx projen bundle:schemas, writes it)');
  });
});
