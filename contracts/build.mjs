#!/usr/bin/env node
// Builds the contracts (AssemblyScript -> CosmWasm wasm), each in its two versions: the
// settlement contract and the escrow contract, which share contracts/common/assembly.
//
//   node contracts/build.mjs          build <name>/build/<name>-v{1,2}.wasm and <name>/build/SHA256SUMS
//   node contracts/build.mjs --check  rebuild in a temp dir; exit 1 unless the bytes equal the committed files
//
// The compiler is pinned (assemblyscript 0.28.20) and so are its flags, so a build is
// byte-for-byte reproducible. Each output is also checked against the CosmWasm VM's static
// rules (see checkWasm): supported imports only, the required exports, exactly one memory
// without a maximum, at most one bounded table, and no floating-point instructions.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const CONTRACTS_DIR = dirname(fileURLToPath(import.meta.url));
const ASC_VERSION = '0.28.20';

/** The contracts, each built in two versions from one source, told its major version by a compile-time constant. */
const CONTRACTS = ['settlement', 'escrow'];
const MAJORS = [1, 2];
const buildDir = (name) => join(CONTRACTS_DIR, name, 'build');
const fileOf = (name, major) => `${name}-v${major}.wasm`;

/** Pinned compiler flags (paths are relative to CONTRACTS_DIR). */
function ascFlags(name, major) {
  return [
    `${name}/assembly/index.ts`,
    '--baseDir',
    CONTRACTS_DIR,
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
    'abort=common/assembly/region/contractAbort',
    '--use',
    `CONTRACT_MAJOR=${major}`,
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

async function compile(name, major) {
  const outputs = new Map();
  const stderr = [];
  const { error } = await asc.main(ascFlags(name, major), {
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
  if (error) throw new Error(`asc failed for ${name} v${major}: ${error.message}\n${stderr.join('')}`);
  const wasm = outputs.get('out.wasm');
  const wat = outputs.get('out.wat');
  if (!(wasm instanceof Uint8Array) || typeof wat !== 'string') {
    throw new Error(`asc produced no output for ${name} v${major}`);
  }
  checkWasm(`${name} v${major}`, wasm, wat);
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

async function buildAll(name, outDir) {
  const lines = [];
  for (const major of MAJORS) {
    const file = fileOf(name, major);
    const wasm = await compile(name, major);
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
    await readFile(join(CONTRACTS_DIR, '../node_modules/assemblyscript/package.json'), 'utf8'),
  ).version;
  if (installed !== ASC_VERSION) {
    throw new Error(`assemblyscript ${ASC_VERSION} is pinned, found ${installed}: outputs would differ`);
  }
  if (!process.argv.includes('--check')) {
    for (const name of CONTRACTS) {
      await mkdir(buildDir(name), { recursive: true });
      await buildAll(name, buildDir(name));
    }
    return 0;
  }
  const temp = await mkdtemp(join(tmpdir(), 'contracts-build-'));
  try {
    let differ = 0;
    for (const name of CONTRACTS) {
      await mkdir(join(temp, name), { recursive: true });
      await buildAll(name, join(temp, name));
      for (const file of [...MAJORS.map((m) => fileOf(name, m)), 'SHA256SUMS']) {
        const committed = await readOrNull(join(buildDir(name), file));
        const rebuilt = await readFile(join(temp, name, file));
        if (committed === null || !committed.equals(rebuilt)) {
          differ++;
          console.error(
            `MISMATCH ${name}/build/${file}: the committed file differs from a fresh build (run contracts/build.mjs and commit)`,
          );
        }
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
