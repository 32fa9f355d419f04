import { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { SynthError } from './checks/problems';
import { GitOpsRepo } from './repo';

/** What `FluxTesting.synth()` returns: the files a construct would write, without writing them. */
export interface FluxTestingResult {
  /** The files, by path relative to the repo root, sorted by path. */
  readonly files: { [path: string]: string };
  /** The Kubernetes objects of those files, in file order (kustomize's own kustomization.yaml files left out). */
  readonly manifests: any[];
  /** The warnings synth would print (collected, never printed). */
  readonly warnings: string[];
}

/**
 * Testing helpers for code that defines clusters, in the spirit of cdk8s' `Testing`: synthesize in
 * memory and look at the files and objects, with warnings collected instead of printed.
 */
export class FluxTesting {
  /**
   * Synthesizes the repo `scope` belongs to in memory (nothing is written; the repo's outdir is
   * only read, as synth reads it: committed sealed values, hand-written files) and returns the
   * files of `scope`: for a cluster, its path and its Kustomizations' folders; for a Kustomization,
   * its folder and its own file; for a chart or a Flux object, its file.
   *
   * @throws SynthError listing every problem, as `GitOpsRepo.synth()` does
   */
  public static synth(scope: IConstruct): FluxTestingResult {
    const root = scope.node.root;
    if (!GitOpsRepo.isGitOpsRepo(root)) {
      throw new Error(`${scope.node.path || scope.node.id}: must be in a GitOpsRepo (its root is a ${root.constructor.name}): create the cluster with a GitOpsRepo as its scope`);
    }
    const { ctx, problems } = root._plan();
    if (problems.length > 0) throw new SynthError(problems);
    const prefix = scope.node.path;
    const under = (owner: string) => prefix === '' || owner === prefix || owner.startsWith(`${prefix}/`);
    const paths = [...ctx.files.values()]
      .filter((f) => under(f.owner) || (ctx.sharedWith.get(f.path) ?? []).some(under))
      .map((f) => f.path)
      .sort();
    const files: { [path: string]: string } = {};
    const manifests: any[] = [];
    for (const p of paths) {
      const content = ctx.files.get(p)!.content;
      files[p] = content;
      for (const doc of parseAllDocuments(content) as any[]) {
        const o = doc.toJS();
        if (o && !(o.apiVersion === 'kustomize.config.k8s.io/v1beta1' && o.kind === 'Kustomization')) manifests.push(o);
      }
    }
    return { files, manifests, warnings: [...ctx.warnings] };
  }

  private constructor() {}
}
