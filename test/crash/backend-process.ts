import { startSampleBackend } from '../../local/sample-backend.ts';

/**
 * The sample backend in a process of its own (the crash test kills the control plane's process group; the
 * backend, like a real one, survives). Prints its targets as one JSON line, then serves until killed.
 */
const backend = await startSampleBackend({ replicas: 3, version: process.env.INITIAL_VERSION ?? '1.0.0' });
console.log(`TARGETS ${JSON.stringify(backend.targets)}`);
process.on('SIGTERM', () => void backend.stop().then(() => process.exit(0)));
