import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SynthContext } from './context';
import { Problem } from '../checks/problems';
import { crdViolations } from '../checks/schema';
import { FluxCluster } from '../cluster';
import { FluxObject, isFluxApiObject, isFluxManifest, isLayer, layerOf } from '../flux-object';
import { toYamlDocument, YamlValue } from '../output/yaml';

/** The extension cdk8s gives the files it writes; kustomize-controller reads them as `.yaml`. */
export const CHART_FILE_EXTENSION = '.k8s.yaml';

/** A user's cdk8s Chart placed in a cluster or a Kustomization, and the file it is written to. */
export interface PlacedChart {
  readonly chart: Chart;
  readonly cluster: FluxCluster;
  /** Repo-relative. */
  readonly file: string;
}

/**
 * Synthesizes every cdk8s Chart of the repo into the folder of its cluster or Kustomization: one
 * file per chart (`<folder>/<chart>.k8s.yaml`, the chart's objects in cdk8s' order), written by
 * the same YAML writer as everything else and checked like it: no plain Secret, no object twice in
 * a cluster, Flux kinds against their official schemas. Flux objects of this library inside a chart
 * are written to their own files, not to the chart's.
 */
export function synthesizeCharts(ctx: SynthContext, root: Chart): PlacedChart[] {
  const placed: PlacedChart[] = [];
  for (const chart of root.node.findAll().filter((c): c is Chart => Chart.isChart(c) && c !== root)) {
    const cluster = clusterOf(chart);
    if (!cluster) {
      ctx.addProblems([{
        path: chart.node.path,
        field: '(scope)',
        rule: 'must be inside a FluxCluster or a Kustomization: synth writes a chart into the folder of the cluster or layer it belongs to; create it with the cluster (or a Kustomization) as its scope',
        value: chart.constructor.name,
      }]);
      continue;
    }
    const layer = layerOf(chart);
    const owner: IConstruct = layer ?? cluster;
    const folder = layer?.path ?? cluster.path;
    const ids = chart.node.scopes.slice(chart.node.scopes.indexOf(owner) + 1).map((s) => s.node.id);
    const base = ids.join('-').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'chart';
    const file = `${folder}/${base}${CHART_FILE_EXTENSION}`;
    let objects: any[];
    try {
      objects = chart.toJson();
    } catch (e) {
      ctx.addProblems([{ path: chart.node.path, field: '(chart)', rule: `must synthesize with cdk8s: ${String((e as Error).message).split('\n')[0]}` }]);
      continue;
    }
    const own = objects.filter((o) => !isFluxManifest(o));
    if (own.length === 0) continue;
    const problems: Problem[] = [];
    const docs: YamlValue[] = [];
    for (const o of own) {
      const meta = o?.metadata;
      const shown = `${o?.kind ?? '(no kind)'} ${typeof meta?.namespace === 'string' ? `${meta.namespace}/` : ''}${meta?.name ?? '(no name)'}`;
      if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string' || typeof meta?.name !== 'string') {
        problems.push({ path: chart.node.path, field: '(object)', rule: 'must hold only Kubernetes objects with apiVersion, kind and metadata.name (Flux fails with \'missing Resource metadata\' otherwise)', value: shown });
        continue;
      }
      if (o.apiVersion === 'v1' && o.kind === 'Secret') {
        problems.push({ path: chart.node.path, field: `${o.kind}/${meta.name}`, rule: 'must not be a plain Secret: Flux would apply it from Git in plain text; use a SealedSecret construct (or SecretValue with SealedSecret) instead', value: meta.name });
        continue;
      }
      for (const v of crdViolations(o)) {
        problems.push({ path: chart.node.path, field: `${o.kind}/${meta.name}: ${v.pointer.split('/').slice(1).join('.') || '(object)'}`, rule: `must match the official ${o.kind} schema (${o.apiVersion}): ${v.message.replace(/^[^:]*: /, '')}` });
      }
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
      ctx.addObject({ cluster: cluster.path, id: `${group}/${o.kind}/${typeof meta.namespace === 'string' ? meta.namespace : ''}/${meta.name}`, owner: chart.node.path, file });
      docs.push(o as YamlValue);
    }
    ctx.addProblems(problems);
    if (problems.length > 0) continue;
    ctx.addFile({ path: file, content: docs.map((d) => toYamlDocument(d)).join(''), value: docs, owner: chart.node.path });
    placed.push({ chart, cluster, file });
  }
  return placed;
}

/**
 * Every construct of the repo must be something synth writes: a cluster, a Flux object of this
 * library, a cdk8s Chart (with what it holds), or a construct that only groups those. A cdk8s
 * ApiObject outside a chart, or any other construct with nothing to write, is a problem naming
 * its path: nothing is dropped silently.
 */
export function checkPlacement(root: Chart): Problem[] {
  const problems: Problem[] = [];
  const visit = (c: IConstruct, inCluster: boolean) => {
    if (c instanceof FluxObject) return; // writes its own file (and holds its ApiObject)
    if (Chart.isChart(c) && c !== root) return; // a user's chart: synthesizeCharts places it
    if (c instanceof ApiObject && !isFluxApiObject(c)) {
      problems.push({
        path: c.node.path,
        field: '(scope)',
        rule: `must be inside a cdk8s Chart: a ${c.kind} outside a chart has no file to go to; create a Chart in the ${inCluster ? 'cluster or Kustomization' : 'cluster'} (new Chart(cluster, 'apps')) and define it there`,
        value: c.constructor.name,
      });
      return;
    }
    const children = c.node.children;
    if (c !== root && children.length === 0 && !(c instanceof FluxCluster) && !isLayer(c)) {
      problems.push({
        path: c.node.path,
        field: '(scope)',
        rule: 'must be something synth can write: a construct of this library, a cdk8s Chart, or a construct that holds those; this one holds nothing, so it would be dropped',
        value: c.constructor.name,
      });
      return;
    }
    for (const child of children) visit(child, inCluster || c instanceof FluxCluster);
  };
  visit(root, false);
  return problems;
}

function clusterOf(c: IConstruct): FluxCluster | undefined {
  for (const s of [...c.node.scopes].reverse()) {
    if (s instanceof FluxCluster) return s;
  }
  return undefined;
}
