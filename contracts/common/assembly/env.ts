// Host functions of the CosmWasm VM (module "env"). AssemblyScript takes the import
// module name from this file's name, so every declaration here becomes `env.<name>`.
// Each pointer argument/result is a Region pointer (see region.ts).

/** Returns a Region with the value, or 0 when the key is absent. */
export declare function db_read(key: u32): u32;
export declare function db_write(key: u32, value: u32): void;
/** Returns 0 when the address is valid, otherwise a Region holding the error message. */
export declare function addr_validate(source: u32): u32;
/** Aborts the call with a message; the host turns it into an error and never returns. */
export declare function abort(message: u32): void;
