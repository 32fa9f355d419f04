import * as path from 'path';
import { isNonEmptyString, requireArgument } from './checks/rules';
import { MAX_INPUT_FILE_BYTES, readBoundedFile } from './output/safe-fs';
import { ResolvedSecret } from './synth/resolved';

/**
 * A secret's plain text, read at synth time from a place outside the code: an environment
 * variable or a local, git-ignored file. It is sealed with the cluster's certificate and never
 * written anywhere in plain text.
 *
 * A source that is absent (the variable unset, the file missing, as in CI) is not an error when
 * the committed sealed file already holds the value: that value is kept as it is.
 */
export class SecretValue {
  /**
   * The value of an environment variable (for example one your CI or a `.env` loader sets). A
   * variable that is set but empty counts as absent, as GitHub Actions sets `${{ secrets.X }}` to
   * '' where the secret is not available (pull requests from forks): the committed sealed value is
   * kept. To seal an empty value on purpose, use `fromFile()` with an empty file.
   */
  public static fromEnv(name: string): SecretValue {
    requireArgument('SecretValue.fromEnv', 'name', name, 'the name of an environment variable', isNonEmptyString);
    return new SecretValue(`environment variable ${name}`, () => {
      const v = process.env[name];
      if (v === undefined) return {};
      return v === '' ? { absence: 'set but empty' } : { bytes: Buffer.from(v, 'utf8') };
    }, { env: name });
  }

  /**
   * The bytes of a file (relative paths are resolved from the current directory): a regular file
   * of at most 1 MiB (a Secret's limit); a device, a pipe or a folder is refused. Keep it out
   * of Git: name it `<name>-values-<anything>.yaml` so that the `.gitignore` GitOpsRepo keeps
   * ignores it, or keep it outside the repo.
   */
  public static fromFile(filePath: string): SecretValue {
    requireArgument('SecretValue.fromFile', 'filePath', filePath, 'a path to a file', isNonEmptyString);
    const abs = path.resolve(filePath);
    return new SecretValue(`file ${filePath}`, () => {
      try {
        return { bytes: readBoundedFile(abs, MAX_INPUT_FILE_BYTES), file: abs };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file: abs };
        throw new Error(`cannot read secret file '${abs}': ${(e as Error).message}`);
      }
    }, { file: abs });
  }

  /**
   * One key of a dotenv-style file: `KEY=value` lines, `#` comment lines, an optional `export `,
   * and one pair of surrounding quotes removed (as dotenv does; `kubectl create secret generic
   * --from-env-file` would keep them). The last line of the key wins. Keep the file out of Git.
   */
  public static fromEnvFile(filePath: string, key: string): SecretValue {
    requireArgument('SecretValue.fromEnvFile', 'filePath', filePath, 'a path to a file', isNonEmptyString);
    requireArgument('SecretValue.fromEnvFile', 'key', key, 'the name of a key in the file', isNonEmptyString);
    const abs = path.resolve(filePath);
    return new SecretValue(`key ${key} of env file ${filePath}`, () => {
      let text: string;
      try {
        text = readBoundedFile(abs, MAX_INPUT_FILE_BYTES).toString('utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file: abs };
        throw new Error(`cannot read env file '${abs}': ${(e as Error).message}`);
      }
      let found: string | undefined;
      for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
        if (!m || m[1] !== key) continue;
        let v = m[2];
        if (/^".*"$/.test(v) || /^'.*'$/.test(v)) v = v.slice(1, -1);
        found = v;
      }
      return found === undefined ? { file: abs } : { bytes: Buffer.from(found, 'utf8'), file: abs };
    }, { file: abs });
  }

  /**
   * A value written in the code itself. Unsafe: the plain text lives in your source, and so in
   * Git. Meant for tests and throwaway examples only.
   */
  public static unsafePlainText(value: string): SecretValue {
    requireArgument('SecretValue.unsafePlainText', 'value', value, 'a string', (v) => typeof v === 'string');
    return new SecretValue('plain text in code', () => ({ bytes: Buffer.from(value, 'utf8') }), {});
  }

  /** Where the value comes from, for messages (`environment variable DO_API_TOKEN`). */
  public readonly source: string;

  /** The absolute path of the file the value is read from, if it is read from a file. */
  public readonly file?: string;

  /** The environment variable the value is read from, if any. */
  public readonly envVariable?: string;

  private readonly resolver: () => ResolvedSecret;

  private constructor(source: string, resolver: () => ResolvedSecret, where: { file?: string; env?: string }) {
    this.source = source;
    this.resolver = resolver;
    this.file = where.file;
    this.envVariable = where.env;
  }

  /** Reads the value now. @internal */
  public _resolve(): ResolvedSecret {
    return this.resolver();
  }
}
