import type { SealedSecret } from './sealed-secret';

/**
 * A Secret a Flux object reads (`secretRef`, `certSecretRef`, `proxySecretRef`,
 * `verify.secretRef`, `kubeConfig.secretRef`, …): a SealedSecret of this library, which is then
 * checked (same cluster, same namespace as its consumer, the keys the consumer reads), or the
 * name of a Secret made elsewhere, which is taken as it is.
 */
export class SecretReference {
  /** A Secret made outside this library, by name (in the consumer's namespace). */
  public static fromName(name: string): SecretReference {
    return new SecretReference(name, undefined);
  }

  /**
   * The Secret a SealedSecret of this library unseals to. It must be in the same cluster and
   * namespace as the object that reads it, and have the keys that object reads.
   */
  public static fromSealedSecret(secret: SealedSecret): SecretReference {
    return new SecretReference(secret?.name, secret);
  }

  /** The Secret's name. */
  public readonly name: string;
  /** The SealedSecret that makes the Secret, when it is one of this library. */
  public readonly sealedSecret?: SealedSecret;

  private constructor(name: string, sealedSecret?: SealedSecret) {
    this.name = name;
    this.sealedSecret = sealedSecret;
  }
}
