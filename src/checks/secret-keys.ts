import { Problems } from './problems';
import { checkObjectName } from './rules';
import type { FluxObject } from '../flux-object';
import { SecretReference } from '../secret-reference';

/*
 * The checks of a SecretReference: the Secret a SealedSecret of this library makes must be in the
 * consumer's cluster and namespace and have the keys the consumer reads.
 */

/** What a consumer needs of a Secret's keys: a list of alternatives, each a list of keys that must all be there. */
export interface SecretKeyNeed {
  /** The alternatives: one of these sets of keys must all be present. */
  readonly anyOf: string[][];
  /** Keys by a pattern instead (`*.pub`), with a description; checked when anyOf is empty. */
  readonly pattern?: RegExp;
  /** What the pattern asks for, in words. */
  readonly patternText?: string;
  /** Why the consumer needs them ("a HelmRepository reads username and password"). */
  readonly why: string;
}

/**
 * Checks one secret reference and returns the Secret name to write, or undefined (a problem is
 * added). `consumer` is the object that reads the Secret; `need` the keys it reads.
 */
export function checkSecretReference(p: Problems, field: string, ref: unknown, consumer: FluxObject, need?: SecretKeyNeed): string | undefined {
  if (!(ref instanceof SecretReference)) {
    p.add(field, 'must be a SecretReference: SecretReference.fromSealedSecret(secret) or SecretReference.fromName(\'name\')', ref);
    return undefined;
  }
  const secret = ref.sealedSecret;
  if (secret === undefined) {
    checkObjectName(p, field, ref.name);
    return ref.name;
  }
  const before = p.list.length;
  if (secret.cluster !== consumer.cluster) {
    p.add(field, `must refer to a SealedSecret of the same cluster: '${secret.node.path}' belongs to '${secret.cluster.node.path}', this ${consumer.kind} to '${consumer.cluster.node.path}'`, secret.name);
  } else if (secret.namespace !== consumer.namespace) {
    p.add(field, `must refer to a Secret in the ${consumer.kind}'s namespace '${consumer.namespace}': SealedSecret '${secret.name}' is in '${secret.namespace}'; set its namespace to '${consumer.namespace}'`, secret.name);
  }
  if (need) {
    const keys = secret.secretKeys;
    const shown = keys.map((k) => `'${k}'`).join(', ') || 'none';
    if (need.anyOf.length > 0) {
      if (!need.anyOf.some((set) => set.every((k) => keys.includes(k)))) {
        const sets = need.anyOf.map((set) => set.map((k) => `'${k}'`).join(' and ')).join(', or ');
        p.add(field, `must refer to a Secret with the key${need.anyOf.length === 1 && need.anyOf[0].length === 1 ? '' : 's'} ${sets}: ${need.why}; SealedSecret '${secret.name}' has ${shown}`, secret.name);
      }
    } else if (need.pattern && !keys.some((k) => need.pattern!.test(k))) {
      p.add(field, `must refer to a Secret with ${need.patternText}: ${need.why}; SealedSecret '${secret.name}' has ${shown}`, secret.name);
    }
  }
  return p.list.length === before ? secret.name : undefined;
}

/** The keys of a Secret with TLS material (`certSecretRef`). */
export const CERT_SECRET_KEYS: SecretKeyNeed = {
  anyOf: [['ca.crt'], ['tls.crt', 'tls.key']],
  why: 'Flux reads a CA certificate from \'ca.crt\' and a client certificate from \'tls.crt\' and \'tls.key\'',
};

/** The keys of a proxy Secret (`proxySecretRef`). */
export const PROXY_SECRET_KEYS: SecretKeyNeed = {
  anyOf: [['address']],
  why: 'Flux reads the proxy URL from \'address\' (and optional \'username\' and \'password\')',
};

/** The keys of a Secret with the keys to verify signatures (`verify.secretRef`). */
export function verifySecretKeys(provider: string): SecretKeyNeed {
  if (provider === 'notation') {
    return {
      anyOf: [],
      pattern: /^trustpolicy\.json$/,
      patternText: 'the key \'trustpolicy.json\'',
      why: 'notation verification reads the trust policy from \'trustpolicy.json\' and the certificates from keys ending in \'.crt\' or \'.pem\'',
    };
  }
  return {
    anyOf: [],
    pattern: /\.pub$/,
    patternText: 'a key ending in \'.pub\'',
    why: 'cosign verification reads the public keys from the keys ending in \'.pub\'',
  };
}
