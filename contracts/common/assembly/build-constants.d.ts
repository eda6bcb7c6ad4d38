// Declarations for editors and `tsc -p contracts/<name>/assembly` only; asc never reads
// this file (it compiles index.ts and its imports).

/** Introduced by build.mjs with `asc --use CONTRACT_MAJOR=<1|2>`. */
declare const CONTRACT_MAJOR: i32;

/** The stub runtime's global heap reset (see std/assembly/rt/stub.ts). */
declare function __reset(): void;
