import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component, github, InitProject, Project, SampleFile, SourceCode, typescript } from 'projen';
import { OPTIONS_FILE, sampleMain, sampleReadme, sampleTest } from './samples';

/** How `flux:bootstrap:<cluster>` runs `flux bootstrap`. */
export enum FluxBootstrapProvider {
  /** `flux bootstrap github --owner … --repository …` (a deploy key on a GitHub repository). */
  GITHUB = 'github',
  /** `flux bootstrap git --url …` (any Git server, SSH or HTTPS). */
  GIT = 'git',
}

/** Options of `FluxGitopsProject`. */
export interface FluxGitopsProjectOptions extends typescript.TypeScriptProjectOptions {
  /**
   * The clusters of the fleet; each gets `clusters/<name>` and its own flux tasks.
   * @default ['dev']
   */
  readonly clusters?: string[];

  /**
   * Per cluster, the kube context its flux and kubeseal tasks use (`--context`), as
   * `kubectl config get-contexts` names it. Every key must be one of `clusters`; no two clusters
   * may share a context. A cluster without one uses whatever context is current, and its tasks
   * print which one that is.
   * @default - none: every cluster's tasks use the current kube context
   */
  readonly clusterContexts?: { [cluster: string]: string };

  /**
   * The namespace Flux runs in.
   * @default 'flux-system'
   */
  readonly fluxNamespace?: string;

  /**
   * The GitHub owner (user or organisation) for `flux bootstrap github --owner`: a GitHub name
   * (letters, digits and single '-', at most 39 characters).
   * @default - none: `flux:bootstrap:<cluster>` asks you to set it
   */
  readonly githubOwner?: string;

  /**
   * The GitHub repository for `flux bootstrap github --repository`: a GitHub repository name
   * (letters, digits, '.', '_', '-').
   * @default - the project's name
   */
  readonly githubRepository?: string;

  /**
   * `flux bootstrap github --personal`: the owner is a user, not an organisation.
   * @default true
   */
  readonly githubPersonal?: boolean;

  /**
   * The Git URL Flux clones, for `flux bootstrap git --url` and the sync manifests.
   * @default - `ssh://git@github.com/<githubOwner>/<githubRepository>` when githubOwner is set
   */
  readonly gitUrl?: string;

  /**
   * The branch Flux follows (`flux bootstrap --branch`, the sync manifests) and the gitops
   * workflow runs on. `projen new` creates the repository on this branch; without the option it
   * takes git's `init.defaultBranch`, as `projen new` does, and writes it into `.projenrc.ts`
   * when it is not `main`. `npx projen` warns when the repository has no such branch.
   * @default 'main'
   */
  readonly gitBranch?: string;

  /**
   * Which form of `flux bootstrap` the bootstrap tasks run.
   * @default FluxBootstrapProvider.GITHUB
   */
  readonly bootstrapProvider?: FluxBootstrapProvider;

  /**
   * Write `flux-system/gotk-sync.yaml` and `kustomization.yaml` from the code (needs gitUrl or
   * githubOwner), instead of leaving `flux-system/` to `flux bootstrap`.
   * @default false
   */
  readonly writeSyncManifests?: boolean;

  /**
   * Per cluster, the sealed-secrets certificate file (`kubeseal --fetch-cert`), relative to the repo root.
   * Folders are separated by '/', and `seal:fetch-cert:<cluster>` creates the folder. Every key
   * must be one of `clusters`.
   * @default - `pub-sealed-secrets-<cluster>.pem` for every cluster (used once it exists)
   */
  readonly sealingCertificates?: { [cluster: string]: string };

  /**
   * The name of the sealed-secrets controller (its Service), for `kubeseal --controller-name`:
   * the release name of the `sealed-secrets` chart when it contains `sealed-secrets`.
   * @default 'sealed-secrets-controller'
   */
  readonly sealedSecretsControllerName?: string;

  /**
   * The version range of cdk8s-flux-gitops the project depends on (when `projen new --from` does
   * not add it itself).
   * @default '*'
   */
  readonly fluxGitopsVersion?: string;
}

/** A task step that fails with where to get the tool when it is not on PATH. */
function requireTool(tool: string): string {
  return `cdk8s-flux-gitops require-tool ${tool}`;
}

/** A task step that fails with a message (projen's task shell has no stderr redirects). */
function fail(message: string): string {
  return `node -e ${JSON.stringify(`console.error(${JSON.stringify(message)}); process.exit(1)`)}`;
}

/**
 * One word of a shell line: as it is when it holds only characters no shell treats specially,
 * else in single quotes (POSIX sh and projen's task shell read both alike).
 */
function sh(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, '\'"\'"\'')}'`;
}

/** A single-quoted TypeScript string literal. */
function tsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/**
 * Writes stdout of `command` to `file` only when it succeeds (no empty file left behind), in the
 * subset of sh that projen's built-in task shell (dax) runs too: no `{ …; }` groups.
 */
function toFileOnSuccess(command: string, file: string): string {
  const tmp = sh(`${file}.tmp`);
  return `${command} > ${tmp} && mv ${tmp} ${sh(file)} || (rm -f ${tmp} && exit 1)`;
}

/** A lowercase RFC 1123 label (Kubernetes namespaces, our cluster names). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `branch` cannot be gitBranch (git's ref-name rules, in the characters a shell and a workflow filter read plainly), or undefined. */
function badBranch(branch: string): string | undefined {
  if (!/^[A-Za-z0-9._/-]+$/.test(branch)) return 'may hold only letters, digits, \'.\', \'_\', \'-\' and \'/\'';
  if (branch.startsWith('-')) return 'must not start with \'-\'';
  if (branch === '@' || branch.includes('..') || branch.includes('//') || branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.')
    || branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'must be a Git branch name (no \'..\' or \'//\', no part that starts with \'.\' or ends with \'.lock\', no \'/\' or \'.\' at the end)';
  }
  return undefined;
}

/** The branch `git init` starts a repository on here (git's `init.defaultBranch`), or undefined. */
function gitInitDefaultBranch(cwd: string): string | undefined {
  const r = spawnSync('git', ['config', '--get', 'init.defaultBranch'], { cwd: fs.existsSync(cwd) ? cwd : undefined, encoding: 'utf8', env: process.env });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** `git <args>` in `cwd`: its trimmed stdout, or undefined when it fails (or git is missing). */
function gitOutput(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: process.env });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Whether `projen new` was told not to create a Git repository (`--no-git`, `--git=false`). */
function projenNewWithoutGit(argv: string[]): boolean {
  return argv.some((a, i) => a === '--no-git' || /^--git=(false|0|no)$/.test(a) || (a === '--git' && /^(false|0|no)$/.test(argv[i + 1] ?? '')));
}

/**
 * Puts the repository on gitBranch. `projen new` runs `git init -b <init.defaultBranch or main>`
 * after the project's first synth, so that synth creates the repository on gitBranch first (git
 * keeps an existing repository's branch); later synths warn when the repository has no such
 * branch, as CI and flux bootstrap would then follow a branch that is never pushed.
 */
class GitBranch extends Component {
  constructor(project: Project, private readonly branch: string, private readonly creating: boolean) {
    super(project, 'FluxGitopsGitBranch');
  }

  public projectCreation(_initProject: InitProject): void {
    const dir = this.project.outdir;
    // the branch projen new's git init would choose anyway, or no repository wanted
    if ((gitInitDefaultBranch(dir) ?? 'main') === this.branch || projenNewWithoutGit(process.argv)) return;
    // a repository of its own already, or a folder of another one (a monorepo: projen new --no-git)
    if (fs.existsSync(path.join(dir, '.git')) || gitOutput(dir, ['rev-parse', '--is-inside-work-tree']) !== undefined) return;
    // (symbolic-ref as well: git before 2.28 has no init.defaultBranch)
    if (gitOutput(dir, ['-c', `init.defaultBranch=${this.branch}`, 'init', '-q']) === undefined
      || gitOutput(dir, ['symbolic-ref', 'HEAD', `refs/heads/${this.branch}`]) === undefined) return;
    this.project.logger.info(`FluxGitopsProject: created the Git repository on branch '${this.branch}' (gitBranch), the branch the gitops workflow and flux bootstrap use; projen new's git init then keeps it ("re-init: ignored --initial-branch")`);
  }

  public preSynthesize(): void {
    if (this.creating) return;
    const dir = this.project.outdir;
    const current = gitOutput(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    // no repository, a detached HEAD (a CI checkout of a pull request), or on the branch
    if (current === undefined || current === this.branch) return;
    // on another branch (a feature branch) of a repository that has gitBranch
    if (gitOutput(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${this.branch}`]) !== undefined) return;
    if (gitOutput(dir, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${this.branch}`]) !== undefined) return;
    this.project.logger.warn(`FluxGitopsProject: gitBranch is '${this.branch}', but this repository is on branch '${current}' and has no branch '${this.branch}': `
      + `the gitops workflow runs on pushes to ${this.branch} and flux bootstrap makes Flux follow ${this.branch}. `
      + `Rename the branch (git branch -m ${current} ${this.branch}), or set gitBranch: '${current}' in .projenrc.ts and run npx projen`);
  }
}

/** The option values that reach file paths, task shell lines and the workflow, checked. */
function validateOptions(
  options: FluxGitopsProjectOptions,
  o: { clusters: string[]; fluxNamespace: string; branch: string; repository: string; controllerName: string },
): void {
  if (o.clusters.length === 0) {
    throw new Error('FluxGitopsProject: clusters must name at least one cluster, got []: use the default [\'dev\'] or list yours');
  }
  for (const c of o.clusters) {
    if (!DNS_LABEL.test(c)) {
      throw new Error(`FluxGitopsProject: clusters: '${c}' must be a lowercase DNS-1123 label (letters, digits, '-'): it names clusters/${c} and the tasks of that cluster`);
    }
    if (c.length > 63) {
      throw new Error(`FluxGitopsProject: clusters: '${c}' is ${c.length} characters long, a DNS-1123 label has at most 63: it names clusters/${c} and the tasks of that cluster`);
    }
  }
  const twice = o.clusters.find((c, i) => o.clusters.indexOf(c) !== i);
  if (twice !== undefined) {
    throw new Error(`FluxGitopsProject: clusters: '${twice}' is listed twice, got [${o.clusters.map((c) => `'${c}'`).join(', ')}]: list each cluster once`);
  }
  if (!DNS_LABEL.test(o.fluxNamespace) || o.fluxNamespace.length > 63) {
    throw new Error(`FluxGitopsProject: fluxNamespace: '${o.fluxNamespace}' must be a lowercase DNS-1123 label (letters, digits, '-'${o.fluxNamespace.length > 63 ? '; at most 63' : ''})`);
  }
  const branchProblem = badBranch(o.branch);
  if (branchProblem !== undefined) {
    throw new Error(`FluxGitopsProject: gitBranch: '${o.branch}' ${branchProblem}: it is flux bootstrap's --branch and the branch the gitops workflow runs on`);
  }
  const owner = options.githubOwner;
  if (owner !== undefined && (owner.length > 39 || !/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(owner))) {
    throw new Error(`FluxGitopsProject: githubOwner: '${owner}' must be a GitHub user or organisation name (letters, digits and single '-' between them, at most 39 characters), as in github.com/<owner>`);
  }
  const validRepository = (r: string) => /^[A-Za-z0-9._-]{1,100}$/.test(r) && r !== '.' && r !== '..';
  if (options.githubRepository !== undefined && !validRepository(options.githubRepository)) {
    throw new Error(`FluxGitopsProject: githubRepository: '${options.githubRepository}' must be a GitHub repository name (letters, digits, '.', '_' and '-', at most 100 characters), as in github.com/<owner>/<repository>`);
  }
  // only used with githubOwner: a project name such as '@acme/fleet' is fine without one
  if (options.githubRepository === undefined && owner !== undefined && !validRepository(o.repository)) {
    throw new Error(`FluxGitopsProject: githubRepository defaults to the project name '${o.repository}', which is not a GitHub repository name (letters, digits, '.', '_' and '-'): set githubRepository`);
  }
  if (options.gitUrl !== undefined) {
    let host = '';
    try {
      host = new URL(options.gitUrl).host;
    } catch {
      // not a URL
    }
    if (!/^(ssh|https?):\/\/[^\s]+$/.test(options.gitUrl) || host === '' || /[\u0000-\u001f\u007f]/.test(options.gitUrl)) {
      throw new Error(`FluxGitopsProject: gitUrl: '${options.gitUrl}' must be an ssh://, https:// or http:// URL (flux bootstrap git --url does not take the scp form git@host:path)`);
    }
  }
  // a Service name: an RFC 1035 label
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(o.controllerName) || o.controllerName.length > 63) {
    throw new Error(`FluxGitopsProject: sealedSecretsControllerName: '${o.controllerName}' must be the name of the controller's Service, a lowercase RFC 1035 label (a letter, then letters, digits, '-'; at most 63)`);
  }
  const contexts = Object.entries(options.clusterContexts ?? {});
  for (const [cluster, context] of contexts) {
    if (!o.clusters.includes(cluster)) {
      throw new Error(`FluxGitopsProject: clusterContexts: '${cluster}' is not one of the clusters (${o.clusters.join(', ')}): use a cluster name as the key, or add '${cluster}' to clusters`);
    }
    // kubeconfig context names are free-form ('arn:aws:eks:…:cluster/prod', 'gke_p_z_c', 'admin@k3s'): sh() quotes them
    if (typeof context !== 'string' || context === '' || context.trim() !== context || /[\u0000-\u001f\u007f]/.test(context)) {
      throw new Error(`FluxGitopsProject: clusterContexts: ${cluster}: '${context}' must be the name of a kube context (as kubectl config get-contexts lists it): not empty, no control characters, no spaces around it`);
    }
  }
  const shared = contexts.find(([c, context]) => contexts.some(([other, x]) => other !== c && x === context));
  if (shared !== undefined) {
    const both = contexts.filter(([, x]) => x === shared[1]).map(([c]) => `'${c}'`).join(' and ');
    throw new Error(`FluxGitopsProject: clusterContexts: ${both} both use kube context '${shared[1]}': one cluster's flux bootstrap would point the other's Flux at its own path; give each cluster its own context`);
  }
  for (const [cluster, file] of Object.entries(options.sealingCertificates ?? {})) {
    if (!o.clusters.includes(cluster)) {
      throw new Error(`FluxGitopsProject: sealingCertificates: '${cluster}' is not one of the clusters (${o.clusters.join(', ')}): use a cluster name as the key, or add '${cluster}' to clusters`);
    }
    const normal = typeof file === 'string' ? path.posix.normalize(file) : '';
    if (typeof file !== 'string' || file === '' || file.includes('\\') || path.posix.isAbsolute(file) || /^[A-Za-z]:/.test(file)
      || normal === '..' || normal.startsWith('../') || normal === '.' || file.endsWith('/') || /[\u0000-\u001f\u007f]/.test(file)) {
      throw new Error(`FluxGitopsProject: sealingCertificates: ${cluster}: '${file}' must be the path of a file in the repository, relative to its root and with '/' between folders (as 'certs/${cluster}.pem')`);
    }
  }
}

/**
 * A Flux CD GitOps repository whose clusters are written by cdk8s-flux-gitops constructs:
 * `npx projen` scaffolds it, `npx projen build` synthesizes `clusters/…`, checks the tree and runs
 * the tests, and its CI fails when the committed manifests drift from the code.
 *
 * @pjid flux-gitops
 */
export class FluxGitopsProject extends typescript.TypeScriptProject {
  /** The clusters of the fleet. */
  public readonly clusters: string[];
  /** The Flux namespace. */
  public readonly fluxNamespace: string;
  /**
   * The GitOps paths synth writes (`clusters/`, the ownership record): the drift check, which
   * covers the whole work tree, reports changes there apart from the other files.
   */
  public readonly generatedPaths: string[];
  /** The branch Flux follows and the gitops workflow runs on (option `gitBranch`). */
  public readonly gitBranch: string;

  constructor(options: FluxGitopsProjectOptions) {
    const clusters = options.clusters ?? ['dev'];
    const fluxNamespace = options.fluxNamespace ?? 'flux-system';
    // `projen new`: this synth writes .projenrc.ts, and git init follows it (see GitBranch)
    const creating = process.env.PROJEN_CREATE_PROJECT === 'true' && (options as { __new__?: unknown }).__new__ !== undefined;
    const gitDefault = creating && options.gitBranch === undefined ? gitInitDefaultBranch(options.outdir ?? process.cwd()) : undefined;
    // a default branch of git's this project type cannot use: main, as projen new does without one
    const branch = options.gitBranch ?? (gitDefault !== undefined && badBranch(gitDefault) === undefined ? gitDefault : 'main');
    const repository = options.githubRepository ?? options.name;
    const controllerName = options.sealedSecretsControllerName ?? 'sealed-secrets-controller';
    validateOptions(options, { clusters, fluxNamespace, branch, repository, controllerName });
    const certificates: Record<string, string> = {};
    for (const c of clusters) certificates[c] = options.sealingCertificates?.[c] ?? `pub-sealed-secrets-${c}.pem`;
    const gitUrl = options.gitUrl ?? (options.githubOwner ? `ssh://git@github.com/${options.githubOwner}/${repository}` : undefined);
    const provider = options.bootstrapProvider ?? FluxBootstrapProvider.GITHUB;
    // `flux check` and `flux bootstrap` take the Flux namespace as the global --namespace;
    // `flux logs` as --flux-namespace; `flux get all -A` lists every namespace anyway.
    // Every value is validated above; sh() quotes what a shell would still read specially.
    const nsFlag = fluxNamespace !== 'flux-system' ? ` --namespace=${sh(fluxNamespace)}` : '';
    // flux and kubeseal both take the kube context as --context (kubectl's flag); none: the current one
    const contextOf = (c: string): string | undefined => options.clusterContexts?.[c];
    const contextFlag = (c: string): string => (contextOf(c) !== undefined ? ` --context=${sh(contextOf(c)!)}` : '');
    const bootstrapCommand = (c: string): string | undefined => {
      const common = `--branch=${sh(branch)} --path=${sh(`clusters/${c}`)}${nsFlag}${contextFlag(c)}`;
      if (provider === FluxBootstrapProvider.GITHUB) {
        if (!options.githubOwner) return undefined;
        return `flux bootstrap github --owner=${sh(options.githubOwner)} --repository=${sh(repository)} ${common}${options.githubPersonal ?? true ? ' --personal' : ''}`;
      }
      return gitUrl ? `flux bootstrap git --url=${sh(gitUrl)} ${common}` : undefined;
    };
    const fetchCert = (c: string): string => `kubeseal --controller-namespace=${sh(fluxNamespace)} --controller-name=${sh(controllerName)} --fetch-cert${contextFlag(c)}`;
    super({
      ...options,
      sampleCode: false,
      // projen's own notion of the main branch (release, upgrades): the branch Flux follows
      defaultReleaseBranch: options.defaultReleaseBranch ?? branch,
      release: options.release ?? false,
      // A GitOps repo is not a package: no npm pack in the build, no "main".
      package: options.package ?? false,
      entrypoint: options.entrypoint ?? '',
      buildWorkflow: options.buildWorkflow ?? false,
      depsUpgrade: options.depsUpgrade ?? false,
      pullRequestTemplate: options.pullRequestTemplate ?? false,
      // Node.js in the gitops workflow: the current LTS unless set.
      workflowNodeVersion: options.workflowNodeVersion ?? 'lts/*',
      githubOptions: { pullRequestLint: false, ...options.githubOptions },
      jestOptions: {
        ...options.jestOptions,
        jestConfig: { testTimeout: 60_000, ...options.jestOptions?.jestConfig },
      },
      readme: options.readme ?? {
        contents: sampleReadme({
          name: options.name,
          clusters,
          fluxNamespace,
          certificates,
          bootstrap: bootstrapCommand(clusters[0] ?? 'dev'),
          bootstrapProvider: provider,
          fetchCert: `${fetchCert(clusters[0] ?? 'dev')} > ${sh(certificates[clusters[0] ?? 'dev'])}`,
          contexts: { ...options.clusterContexts },
          controllerName,
          branch,
          githubOwner: options.githubOwner,
          githubRepository: repository,
          gitUrl,
        }),
      },
    });

    this.clusters = clusters;
    this.fluxNamespace = fluxNamespace;
    this.gitBranch = branch;
    if (options.writeSyncManifests && !gitUrl) {
      throw new Error('FluxGitopsProject: writeSyncManifests needs gitUrl or githubOwner, got neither: set one of them, or leave flux-system/ to flux bootstrap');
    }
    // projen new without gitBranch, where git starts repositories on another branch than main:
    // .projenrc.ts keeps that branch, so that later synths do not fall back to main.
    if (creating && options.gitBranch === undefined && branch !== 'main' && this.initProject) {
      this.initProject.args.gitBranch = branch;
    }
    new GitBranch(this, branch, creating);
    // Dependencies: the constructs and their peers (projen new --from adds the library itself).
    const hasLibrary = [...(options.devDeps ?? []), ...(options.deps ?? [])].some((d) => d.startsWith('cdk8s-flux-gitops'));
    if (!hasLibrary) this.addDevDeps(`cdk8s-flux-gitops@${options.fluxGitopsVersion ?? '*'}`);
    this.addDevDeps('cdk8s@^2.70.106', 'cdk8s-plus-25@^2.22.79', 'constructs@^10.8.1');
    // src/main.ts runs at build time only: its imports are dev dependencies.
    this.eslint?.allowDevDeps('src/**');

    // What synth owns: never hand-edit these. All of clusters/, so that the files of a cluster
    // removed from the options count as GitOps manifests too.
    this.generatedPaths = ['clusters', '.cdk8s-flux-gitops.json'];
    this.gitignore.addPatterns('*-values-*.yaml', '!*-sealed.yaml', '/.cdk8s-flux-gitops/', '*.pem.tmp');
    this.npmignore?.exclude('/clusters/', '*.pem');

    // The options src/main.ts reads, rewritten by every `npx projen`: a cluster added in
    // .projenrc.ts reaches the code, the tasks and the drift check at once.
    const fleet = new SourceCode(this, OPTIONS_FILE);
    fleet.line(`// ${fleet.marker}`);
    fleet.line();
    fleet.line('/** The clusters (option `clusters`): each is written to clusters/<name>/. */');
    fleet.line(`export const CLUSTERS: string[] = [${clusters.map((c) => `'${c}'`).join(', ')}];`);
    fleet.line();
    fleet.line('/** The namespace Flux runs in (option `fluxNamespace`). */');
    fleet.line(`export const FLUX_NAMESPACE = ${tsString(fluxNamespace)};`);
    fleet.line();
    fleet.line('/** Each cluster\'s sealed-secrets certificate, from the repo root (`npx projen seal:fetch-cert:<cluster>`). */');
    fleet.open('export const SEALING_CERTIFICATES: Record<string, string> = {');
    for (const c of clusters) fleet.line(`'${c}': ${tsString(certificates[c])},`);
    fleet.close('};');
    fleet.line();
    fleet.line('/** The Git repository Flux syncs from, when the sync manifests are written from code (option `writeSyncManifests`). */');
    if (options.writeSyncManifests) {
      fleet.line(`export const SYNC: { url: string; branch: string } | undefined = { url: ${tsString(gitUrl!)}, branch: ${tsString(branch)} };`);
    } else {
      fleet.line('export const SYNC: { url: string; branch: string } | undefined = undefined;');
    }
    fleet.line();

    const synth = this.addTask('synth', {
      description: 'Synthesize the GitOps tree (clusters/…, .gitignore) from src/main.ts',
      exec: `ts-node --project ${this.tsconfigDev.fileName} src/main.ts`,
    });
    const check = this.addTask('check', {
      description: 'Check the repository offline: official Flux CRD schemas, references, secrets in plain text, …',
      exec: 'cdk8s-flux-gitops check .',
    });
    this.addTask('drift', {
      description: 'Fail when the work tree differs from the commit (run after the build), naming the files: GitOps manifests apart from project files',
      exec: `cdk8s-flux-gitops drift ${this.generatedPaths.map(sh).join(' ')}`,
    });
    this.postCompileTask.spawn(synth);
    this.postCompileTask.spawn(check);

    // The tutorial's commands, with this project's options: for each cluster, against its kube
    // context. Each first fails when the tool is missing and prints the context it is about to use.
    const where = (c: string) => (contextOf(c) !== undefined ? `kube context '${contextOf(c)}'` : 'the current kube context');
    const fluxLogsNs = fluxNamespace !== 'flux-system' ? ` --flux-namespace=${sh(fluxNamespace)}` : '';
    for (const c of clusters) {
      const announce = `cdk8s-flux-gitops kube-context ${c}${contextOf(c) !== undefined ? ` ${sh(contextOf(c)!)}` : ''}`;
      const clusterTask = (name: string, tool: string, description: string, ...commands: string[]) => {
        const t = this.addTask(name, { description });
        t.exec(requireTool(tool));
        t.exec(announce);
        for (const command of commands) t.exec(command);
        return t;
      };
      const command = bootstrapCommand(c);
      clusterTask(`flux:bootstrap:${c}`, 'flux', `Install Flux on ${c} (${where(c)}) and point it at clusters/${c} (flux bootstrap)`,
        command ?? (provider === FluxBootstrapProvider.GITHUB
          ? fail('set githubOwner (and githubRepository) in .projenrc.ts, then run npx projen')
          : fail('set gitUrl in .projenrc.ts, then run npx projen')));
      // `--pre` checks the Kubernetes version and what bootstrap needs; the namespace plays no part
      clusterTask(`flux:precheck:${c}`, 'flux', `Check that ${c} (${where(c)}) meets Flux's prerequisites, before flux:bootstrap:${c} (flux check --pre)`,
        `flux check --pre${contextFlag(c)}`);
      clusterTask(`flux:check:${c}`, 'flux', `Check the Flux installation on ${c} (${where(c)})`, `flux check${nsFlag}${contextFlag(c)}`);
      clusterTask(`flux:status:${c}`, 'flux', `Show every Flux object of ${c} (${where(c)}) and its status`, `flux get all -A${contextFlag(c)}`);
      clusterTask(`flux:logs:${c}`, 'flux', `Show the Flux controllers' logs on ${c} (${where(c)})`, `flux logs -A${fluxLogsNs}${contextFlag(c)}`);
      // flux bootstrap names its GitRepository and Kustomization after the Flux namespace
      clusterTask(`flux:reconcile:${c}`, 'flux', `Make Flux on ${c} (${where(c)}) fetch the Git repository and apply clusters/${c} now (flux reconcile kustomization --with-source)`,
        `flux reconcile kustomization ${sh(fluxNamespace)} --with-source${nsFlag}${contextFlag(c)}`);
      const folder = path.posix.dirname(path.posix.normalize(certificates[c]));
      clusterTask(`seal:fetch-cert:${c}`, 'kubeseal', `Fetch the sealed-secrets controller's public certificate of ${c} (${where(c)}) into ${certificates[c]}`,
        ...(folder !== '.' ? [`mkdir -p ${sh(folder)}`] : []),
        toFileOnSuccess(fetchCert(c), certificates[c]));
    }
    // One cluster: the short names as well. With more, a task without the cluster's name could
    // only guess which cluster is meant.
    if (clusters.length === 1) {
      const only = clusters[0];
      for (const [name, description] of [
        ['flux:precheck', `flux:precheck:${only}: check that ${only} meets Flux's prerequisites (flux check --pre)`],
        ['flux:check', `flux:check:${only}: check the Flux installation`],
        ['flux:status', `flux:status:${only}: show every Flux object and its status`],
        ['flux:logs', `flux:logs:${only}: show the Flux controllers' logs`],
        ['flux:reconcile', `flux:reconcile:${only}: make Flux fetch and apply clusters/${only} now`],
      ]) {
        this.addTask(name, { description }).spawn(this.tasks.tryFind(`${name}:${only}`)!);
      }
    }

    // The user's code, written once and never overwritten.
    new SampleFile(this, 'src/main.ts', { contents: sampleMain() });
    new SampleFile(this, 'test/main.test.ts', { contents: sampleTest() });

    // CI: build (synth + check + tests), then fail on drift, naming the files.
    if (this.github && (options.github ?? true)) {
      const wf = this.github.addWorkflow('gitops');
      wf.on({ push: { branches: [branch] }, pullRequest: {}, workflowDispatch: {} });
      wf.addJobs({
        gitops: {
          name: 'synthesize, check and detect drift',
          runsOn: ['ubuntu-latest'],
          permissions: { contents: github.workflows.JobPermission.READ },
          steps: [
            github.WorkflowSteps.checkout(),
            // Node.js and the install command of the project's package manager (npm ci, …).
            ...this.renderWorkflowSetup({ mutable: false }),
            { name: 'Build (synth, check, tests)', run: 'npx projen build' },
            { name: 'Fail on drift between the code and the committed manifests', run: 'npx projen drift' },
          ],
        },
      });
    }
  }
}
