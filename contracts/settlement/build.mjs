#!/usr/bin/env node
// Builds the settlement contract (AssemblyScript -> CosmWasm wasm) in its two versions.
//
//   node contracts/settlement/build.mjs          build build/settlement-v{1,2}.wasm and build/SHA256SUMS
//   node contracts/settlement/build.mjs --check  rebuild in a temp dir; exit 1 unless the bytes equal the committed files
//
// The compiler is pinned (assemblyscript 0.28.20) and so are its flags, so a build is
// byte-for-byte reproducible. Each output is also checked against the CosmWasm VM's static
// rules (see checkWasm): supported imports only, the required exports, exactly one memory
// without a maximum, at most one bounded table, and no floating-point instructions.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const CONTRACT_DIR = dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = join(CONTRACT_DIR, 'build');
const ASC_VERSION = '0.28.20';

/** The two builds: one source, told its major version by a compile-time constant. */
const VERSIONS = [
  { file: 'settlement-v1.wasm', major: 1 },
  { file: 'settlement-v2.wasm', major: 2 },
];

/** Pinned compiler flags (paths are relative to CONTRACT_DIR). */
function ascFlags(major) {
  return [
    'assembly/index.ts',
    '--baseDir',
    CONTRACT_DIR,
    '--outFile',
    'out.wasm',
    '--textFile',
    'out.wat',
    '--runtime',
    'stub',
    '-O3',
    '--disable',
    'sign-extension,nontrapping-f2i,bulk-memory,mutable-globals',
    '--use',
    'abort=assembly/region/contractAbort',
    '--use',
    `SETTLEMENT_MAJOR=${major}`,
    '--noColors',
  ];
}

/** Imports the CosmWasm VM provides (cosmwasm-vm compatibility.rs, iterator feature aside). */
const SUPPORTED_IMPORTS = new Set([
  'env.abort',
  'env.db_read',
  'env.db_write',
  'env.db_remove',
  'env.addr_validate',
  'env.addr_canonicalize',
  'env.addr_humanize',
  'env.secp256k1_verify',
  'env.secp256k1_recover_pubkey',
  'env.ed25519_verify',
  'env.ed25519_batch_verify',
  'env.debug',
  'env.query_chain',
]);
const REQUIRED_EXPORTS = [
  'interface_version_8',
  'allocate',
  'deallocate',
  'instantiate',
  'execute',
  'query',
  'migrate',
];

async function compile(major) {
  const outputs = new Map();
  const stderr = [];
  const { error } = await asc.main(ascFlags(major), {
    writeFile: (name, contents) => {
      outputs.set(name, contents);
    },
    stdout: { write: () => true },
    stderr: {
      write: (chunk) => {
        stderr.push(String(chunk));
        return true;
      },
    },
  });
  if (error) throw new Error(`asc failed for v${major}: ${error.message}\n${stderr.join('')}`);
  const wasm = outputs.get('out.wasm');
  const wat = outputs.get('out.wat');
  if (!(wasm instanceof Uint8Array) || typeof wat !== 'string') {
    throw new Error(`asc produced no output for v${major}`);
  }
  checkWasm(`v${major}`, wasm, wat);
  return wasm;
}

function checkWasm(name, wasm, wat) {
  const module = new WebAssembly.Module(wasm);
  const problems = [];
  for (const entry of WebAssembly.Module.imports(module)) {
    const full = `${entry.module}.${entry.name}`;
    if (entry.kind !== 'function' || !SUPPORTED_IMPORTS.has(full))
      problems.push(`unsupported import ${full}`);
  }
  const exports = new Set(WebAssembly.Module.exports(module).map((entry) => entry.name));
  for (const required of REQUIRED_EXPORTS) {
    if (!exports.has(required)) problems.push(`missing export ${required}`);
  }
  if ([...exports].filter((e) => e.startsWith('interface_version_')).length !== 1) {
    problems.push('expected exactly one interface_version_* export');
  }
  const memories = [...wat.matchAll(/^ \(memory \$\S+ (\d+)( \d+)?\)/gm)];
  if (memories.length !== 1 || memories[0][2] !== undefined) {
    problems.push('expected exactly one memory, without a maximum');
  }
  const tables = [...wat.matchAll(/^ \(table \$\S+ (\d+)( \d+)?/gm)];
  if (tables.length > 1 || tables.some((table) => table[2] === undefined)) {
    problems.push('expected at most one table, with a maximum');
  }
  if (/\bf(32|64)\./.test(wat)) problems.push('floating-point instructions present');
  if (problems.length > 0) throw new Error(`${name} breaks CosmWasm rules: ${problems.join('; ')}`);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function buildAll(outDir) {
  const lines = [];
  for (const { file, major } of VERSIONS) {
    const wasm = await compile(major);
    await writeFile(join(outDir, file), wasm);
    lines.push(`${sha256(wasm)}  ${file}`);
    console.log(`${file}  ${wasm.byteLength} bytes  sha256 ${sha256(wasm)}`);
  }
  await writeFile(join(outDir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
}

async function readOrNull(path) {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

async function main() {
  const installed = JSON.parse(
    await readFile(join(CONTRACT_DIR, '../../node_modules/assemblyscript/package.json'), 'utf8'),
  ).version;
  if (installed !== ASC_VERSION) {
    throw new Error(`assemblyscript ${ASC_VERSION} is pinned, found ${installed}: outputs would differ`);
  }
  if (!process.argv.includes('--check')) {
    await buildAll(BUILD_DIR);
    return 0;
  }
  const temp = await mkdtemp(join(tmpdir(), 'settlement-build-'));
  try {
    await buildAll(temp);
    let differ = 0;
    for (const file of [...VERSIONS.map((v) => v.file), 'SHA256SUMS']) {
      const committed = await readOrNull(join(BUILD_DIR, file));
      const rebuilt = await readFile(join(temp, file));
      if (committed === null || !committed.equals(rebuilt)) {
        differ++;
        console.error(
          `MISMATCH ${file}: the committed file differs from a fresh build (run build.mjs and commit)`,
        );
      }
    }
    if (differ > 0) return 1;
    console.log('check ok: committed wasm files are identical to a fresh build');
    return 0;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
