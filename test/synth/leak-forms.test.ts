import { FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, SealedSecret, SealingCertificate, SecretValue } from '../../src';
import { secretForms } from '../../src/synth/plaintext';
import { mkdtemp, synthError } from '../util';

const CERT = `${__dirname}/../fixtures/sealing/rsa2048.crt`;
const SECRET = 'S3cr3t/päss+wörd "x"?';

function withValues(values: Record<string, unknown>, secret: string = SECRET): string {
  process.env.LEAK_FORMS_SECRET = secret;
  try {
    const repo = new GitOpsRepo({ outdir: mkdtemp() });
    const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
    new SealedSecret(dev, 'creds', { data: { password: SecretValue.fromEnv('LEAK_FORMS_SECRET') } });
    new HelmRelease(dev, 'app', { repository: bitnami, chart: 'app', values });
    return synthError(repo);
  } finally {
    delete process.env.LEAK_FORMS_SECRET;
  }
}

const leak = (form: string) => `dev/creds: data: must not appear in plain text: a secret value of this SealedSecret is written in plain text (${form}) in 'clusters/dev/helm/releases/app.yaml' (by dev/app)`;
const bytes = Buffer.from(SECRET, 'utf8');

describe('the plain-text guard finds a secret in any common encoding', () => {
  test.each([
    ['hex', bytes.toString('hex'), 'encoded as hex'],
    ['HEX', bytes.toString('hex').toUpperCase(), 'encoded as hex'],
    ['base64url', bytes.toString('base64url'), 'or base64'],
    ['URL encoding', encodeURIComponent(SECRET), 'encoded as URL encoding'],
    ['URL encoding, lower case', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), 'encoded as URL encoding'],
    ['JSON escapes', JSON.stringify(SECRET).slice(1, -1), 'encoded as JSON escapes'],
    ['JSON with \\u escapes', JSON.stringify(SECRET).slice(1, -1).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'encoded as JSON escapes'],
  ])('%s', (_name, encoded, form) => {
    expect(withValues({ env: { TOKEN: `prefix ${encoded} suffix` } })).toContain(leak(form));
  });

  test.each([0, 1, 2, 5])('inside the base64 of a longer string (a prefix of %i bytes, as user: in basic auth)', (n) => {
    const header = Buffer.from(`${'u'.repeat(n)}${SECRET}:tail`).toString('base64');
    expect(withValues({ auth: header })).toContain(leak('or base64'));
  });

  test('in base64 wrapped at 76 columns, in a block string', () => {
    const long = Buffer.from(`-----${'x'.repeat(100)}${SECRET}${'y'.repeat(100)}`).toString('base64');
    const wrapped = long.match(/.{1,76}/g)!.join('\n') + '\n';
    expect(withValues({ cert: wrapped })).toContain(leak('or base64'));
  });

  test('every form of an ASCII secret is at least 8 characters and the list has no duplicates', () => {
    const forms = secretForms(Buffer.from('abcdefgh'));
    expect(forms.every((f) => f.text.length >= 8)).toBe(true);
    expect(new Set(forms.map((f) => f.text)).size).toEqual(forms.length);
    expect(forms.map((f) => f.form)).toContain('hex');
  });

  test('a clean tree passes', () => {
    expect(() => withValues({ replicas: 2, image: { tag: 'v1.2.3-abcdef' } })).toThrow('synth did not fail');
  });
});

describe('no secret reaches a message', () => {
  test('a secret used as a release name and as an annotation key is shown redacted', () => {
    const secret = 'Hunter2_TOP_SECRET';
    process.env.LEAK_FORMS_SECRET = secret;
    try {
      const repo = new GitOpsRepo({ outdir: mkdtemp() });
      const dev = new FluxCluster(repo, 'dev', { sealingCertificate: SealingCertificate.fromFile(CERT) });
      const bitnami = new HelmRepository(dev, 'bitnami', { url: 'https://charts.bitnami.com/bitnami' });
      new SealedSecret(dev, 'creds', {
        data: { password: SecretValue.fromEnv('LEAK_FORMS_SECRET') },
        annotations: { [`${secret}/x y`]: 'v' },
      });
      new HelmRelease(dev, 'app', { repository: bitnami, chart: 'app', name: secret });
      const message = synthError(repo);
      expect(message).not.toContain(secret);
      expect(message).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
      expect(message).toContain('dev/app: name: must be a DNS-1123 subdomain');
      expect(message).toContain('(got "[redacted secret]")');
      expect(message).toContain('dev/creds: annotations.[redacted secret]/x y: must be a qualified name');
    } finally {
      delete process.env.LEAK_FORMS_SECRET;
    }
  });
});
