import { describe, it } from 'vitest';
import { fenceRace } from './support/fence-race.ts';
import { inProcess } from './support/registrars.ts';

/**
 * The race through the control plane's own InflightService, in this process. Its 50-round race runs through every
 * way a producer registers, each built on this very service: the producer client (client-fence.test.ts) and the
 * REST and function-URL shapes of the intent Lambdas (fence-http.test.ts). Here, the clock skew allowance.
 */
describe('the admission fence under concurrency', () => {
  it('with a 1 s clock skew allowance, after Drained no registration lands and refused ones leave nothing (5 rounds)', async () => {
    await fenceRace(inProcess, 5, '1000');
  }, 300_000);
});
