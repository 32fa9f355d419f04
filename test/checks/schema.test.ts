import { crdKinds, hasCrdSchema, validateAgainstCrd } from '../../src/checks/schema';

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
});
