/**
 * How this package is built and what it ships, read from the files projen generates from
 * .projenrc.ts (the tarball itself is built and installed by test/project/e2e.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('the package', () => {
  test('every path that builds or packs it writes the schema bundle first: compile, test, package:js', () => {
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    for (const t of ['compile', 'test', 'package:js']) expect(tasks[t].steps[0]).toEqual({ spawn: 'bundle:schemas' });
    expect(tasks['bundle:schemas'].steps).toEqual([{ exec: 'node scripts/bundle-schemas.mjs' }]);
    // ... into lib/, which the package ships: no rule of .npmignore drops it
    expect(read('scripts/bundle-schemas.mjs')).toContain('const out = path.join(root, \'lib\', \'vendor\', \'flux-schemas.cjs\');');
    const npmignore = read('.npmignore').split('\n');
    expect(npmignore).toContain('!/lib/');
    // no exclusion that could match lib/vendor/flux-schemas.cjs
    expect(npmignore.filter((l) => !l.startsWith('!') && !l.startsWith('#') && /vendor|cjs|lib|^\*|^\/\*/.test(l))).toEqual([]);
  });

  test('what a user installs needs Node 20 at most; the packages of the lockfile that want Node 22 are build-time only', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.engines.node).toEqual('>= 20.0.0');
    expect(Object.keys(pkg.dependencies)).toEqual(['yaml']);
    expect(pkg.bundledDependencies).toEqual(['yaml']);
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-25', 'constructs', 'projen']);
    const lock = JSON.parse(read('package-lock.json'));
    // engines that leave out Node 20 (">=22" and the like)
    const newer = Object.entries<any>(lock.packages)
      .filter(([, p]) => typeof p.engines?.node === 'string' && /^>=\s*(2[1-9]|[3-9]\d)/.test(p.engines.node))
      .map(([name, p]) => ({ name: name.replace(/^.*node_modules\//, ''), dev: p.dev === true }));
    // the README lists these (## Node.js versions)
    expect(newer).toEqual([
      '@kubernetes-models/apimachinery', '@kubernetes-models/base', '@kubernetes-models/flux-cd',
      '@kubernetes-models/sealed-secrets', '@kubernetes-models/validate', 'kubernetes-models',
    ].map((name) => ({ name, dev: true })));
    for (const { name } of newer) expect(read('README.md')).toContain(`\`${name}\``);
  });

  test('the docs name the tarball the build writes (test/project/e2e.test.ts builds it under that name)', () => {
    const e2e = read('test/project/e2e.test.ts');
    expect(e2e).toContain('const PACKED = \'cdk8s-flux-gitops@0.0.0.jsii.tgz\';');
    expect(e2e).toContain('path.join(ROOT, \'dist\', \'js\', PACKED)');
    for (const doc of ['README.md', 'docs/project-type.md']) {
      expect(read(doc)).toContain('dist/js/cdk8s-flux-gitops@0.0.0.jsii.tgz');
      expect(read(doc)).not.toMatch(/cdk8s-flux-gitops-0\.0\.0\.tgz/);
    }
  });
});
