/**
 * A synth in a child process, for the fault-injection tests: `node fault-child.js <outdir> <a|b>
 * <certificate>`. CDK8S_FLUX_GITOPS_TEST_FAULT=crash:N kills it at the N-th file operation.
 */
import { defineFleet } from './fault-fleet';

const [outdir, variant, certificate] = process.argv.slice(2);
try {
  defineFleet(outdir, variant as 'a' | 'b', certificate).synth();
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
