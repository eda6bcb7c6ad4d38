import { CHROMIUM, ensureDebianProgram, JAVA, JQ } from './debian-package.ts';
import { ensureDynamoDbLocal } from './dynamodb-local-install.ts';

/**
 * `npm run engines:install`, and the first half of `npm test`: makes sure what the local engines and the tests need
 * is here (Java, DynamoDB Local; for the tests Chromium and jq). As root on Debian it installs what is missing with apt; otherwise it
 * stops at once and prints the one command to run.
 */
try {
  ensureDebianProgram(JAVA, console.log);
  const dir = ensureDynamoDbLocal((line) => console.log(line));
  console.log(`DynamoDB Local ready in ${dir}`);
  if (process.argv.includes('--tests')) {
    ensureDebianProgram(CHROMIUM, console.log);
    ensureDebianProgram(JQ, console.log);
  }
} catch (err) {
  console.error(`engines: ${(err as Error).message}`);
  process.exit(1);
}
