import { Duration } from 'cdk8s';
import { FluxCluster, GitOpsRepo, HELM_CHART_LAYER_MEDIA_TYPE, HelmRepositoryProvider, OciLayerOperation, OCIRepository } from '../src';
import { golden, mkdtemp, schemaViolations, synthOne } from './util';

describe('OCIRepository', () => {
  test('E12: the bytes of flux create source oci … --layer-selector (flux2 testdata oci/export_with_layer_selector.golden)', () => {
    // GIVEN / WHEN
    const files = synthOne((dev) => new OCIRepository(dev, 'podinfo', {
      url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
      tag: '6.3.5',
      interval: Duration.minutes(10),
      layerMediaType: HELM_CHART_LAYER_MEDIA_TYPE,
      layerOperation: OciLayerOperation.COPY,
    }));
    // THEN
    expect(files['clusters/dev/helm/repositories/podinfo.yaml']).toEqual(golden('flux-create/e12-source-oci-layer-selector.yaml'));
    expect(schemaViolations(files)).toEqual([]);
  });

  test('every field, in go-yaml order, passes the official schema', () => {
    const files = synthOne((dev) => new OCIRepository(dev, 'charts', {
      url: 'oci://registry.example.com/charts/app',
      semver: '>=1.0.0 <2.0.0',
      secretRef: 'registry-creds',
      provider: HelmRepositoryProvider.AWS,
      insecure: true,
      timeout: Duration.seconds(90),
      suspend: true,
      layerOperation: OciLayerOperation.EXTRACT,
    }));
    expect(files['clusters/dev/helm/repositories/charts.yaml']).toEqual([
      '---',
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: charts',
      '  namespace: flux-system',
      'spec:',
      '  insecure: true',
      '  interval: 1m0s',
      '  layerSelector:',
      '    operation: extract',
      '  provider: aws',
      '  ref:',
      '    semver: \'>=1.0.0 <2.0.0\'',
      '  secretRef:',
      '    name: registry-creds',
      '  suspend: true',
      '  timeout: 1m30s',
      '  url: oci://registry.example.com/charts/app',
      '',
    ].join('\n'));
    expect(schemaViolations(files)).toEqual([]);
  });

  test('fails on a non-oci url, two refs, a bad digest, media type or operation, and an hour-long timeout', () => {
    const outdir = mkdtemp();
    const repo = new GitOpsRepo({ outdir });
    const dev = new FluxCluster(repo, 'dev');
    new OCIRepository(dev, 'app', {
      url: 'https://ghcr.io/acme/app',
      tag: '1.0.0',
      digest: 'not-a-digest',
      timeout: Duration.hours(1),
      layerMediaType: 'helm chart',
      layerOperation: 'untar' as any,
    });
    expect(() => repo.synth()).toThrow([
      'synth found 6 problems and wrote nothing:',
      '  - dev/app: url: url scheme \'https\' not supported, can be: oci (got "https://ghcr.io/acme/app")',
      '  - dev/app: timeout: must be shorter than one hour (the CRD pattern for this field has no \'h\' unit): use at most Duration.minutes(59) (got "1h0m0s")',
      '  - dev/app: tag: must set only one of tag, semver and digest (got {"tag":"1.0.0","digest":"not-a-digest"})',
      '  - dev/app: digest: must be a digest such as \'sha256:<hex>\' (got "not-a-digest")',
      `  - dev/app: layerMediaType: must be a media type such as '${HELM_CHART_LAYER_MEDIA_TYPE}' (got "helm chart")`,
      '  - dev/app: layerOperation: must be one of OciLayerOperation.EXTRACT, OciLayerOperation.COPY (\'extract\', \'copy\') (got "untar")',
    ].join('\n'));
  });
});
