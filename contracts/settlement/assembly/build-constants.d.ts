// Declarations for editors and `tsc -p contracts/settlement/assembly` only; asc never reads
// this file (it compiles index.ts and its imports).

/** Introduced by build.mjs with `asc --use SETTLEMENT_MAJOR=<1|2>`. */
declare const SETTLEMENT_MAJOR: i32;

/** The stub runtime's global heap reset (see std/assembly/rt/stub.ts). */
declare function __reset(): void;
