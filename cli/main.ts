import { runUcp } from './ucp.ts';

/** `ucp …`: see `ucp --help`. */
process.exitCode = await runUcp(process.argv.slice(2));
