/** What a SecretValue resolves to at synth time. */
export interface ResolvedSecret {
  /** The plain bytes, or undefined when the source is absent (as in CI). */
  readonly bytes?: Buffer;
  /** The file the value comes from, resolved to an absolute path, for `fromFile`. */
  readonly file?: string;
  /** Why the value is absent, when it is and the reason is more than "absent" (`set but empty`). */
  readonly absence?: string;
}
