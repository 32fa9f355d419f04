import * as fs from 'fs';
import * as path from 'path';
import { SecretValue } from '../src';
import { mkdtemp } from './util';

describe('SecretValue', () => {
  test('fromEnv reads the variable at synth time, and is absent when it is unset', () => {
    const v = SecretValue.fromEnv('SECRET_VALUE_TEST_VAR');
    delete process.env.SECRET_VALUE_TEST_VAR;
    expect(v._resolve()).toEqual({ bytes: undefined });
    process.env.SECRET_VALUE_TEST_VAR = 'späte-value';
    expect(v._resolve()).toEqual({ bytes: Buffer.from('späte-value') });
    expect(v.source).toEqual('environment variable SECRET_VALUE_TEST_VAR');
    expect(v.envVariable).toEqual('SECRET_VALUE_TEST_VAR');
    delete process.env.SECRET_VALUE_TEST_VAR;
  });

  test('fromFile reads the bytes, and is absent when the file is not there', () => {
    const dir = mkdtemp();
    const file = path.join(dir, 'app-values-v1.yaml');
    const v = SecretValue.fromFile(file);
    expect(v._resolve()).toEqual({ file });
    fs.writeFileSync(file, Buffer.from([0, 255, 10]));
    expect(v._resolve()).toEqual({ bytes: Buffer.from([0, 255, 10]), file });
    expect(v.file).toEqual(file);
  });

  test('fromEnvFile reads one key of a dotenv file, as kubectl --from-env-file does', () => {
    const dir = mkdtemp();
    const file = path.join(dir, 'creds-values-dev.env');
    fs.writeFileSync(file, '# DigitalOcean\nexport DO_API_TOKEN="dop_v1_abc"\nSPACES_KEY=AKIA123\nEMPTY=\nQUOTED=\'a b\'\n');
    expect(SecretValue.fromEnvFile(file, 'DO_API_TOKEN')._resolve().bytes).toEqual(Buffer.from('dop_v1_abc'));
    expect(SecretValue.fromEnvFile(file, 'SPACES_KEY')._resolve().bytes).toEqual(Buffer.from('AKIA123'));
    expect(SecretValue.fromEnvFile(file, 'EMPTY')._resolve().bytes).toEqual(Buffer.alloc(0));
    expect(SecretValue.fromEnvFile(file, 'QUOTED')._resolve().bytes).toEqual(Buffer.from('a b'));
    expect(SecretValue.fromEnvFile(file, 'MISSING')._resolve()).toEqual({ file });
    fs.writeFileSync(file, '\uFEFFTOKEN=first\r\nTOKEN=second\r\n');
    expect(SecretValue.fromEnvFile(file, 'TOKEN')._resolve().bytes).toEqual(Buffer.from('second'));
    expect(SecretValue.fromEnvFile(path.join(dir, 'nope.env'), 'X')._resolve()).toEqual({ file: path.join(dir, 'nope.env') });
  });

  test('unsafePlainText says what it is', () => {
    expect(SecretValue.unsafePlainText('x').source).toEqual('plain text in code');
  });

  test('an unreadable file is an error that names it', () => {
    const dir = mkdtemp();
    expect(() => SecretValue.fromFile(dir)._resolve()).toThrow(`cannot read secret file '${dir}': it is not a regular file (a folder); point it at a file`);
  });
});
