import { describe, it } from 'vitest';
import { fenceRace } from './support/fence-race.ts';
import { inProcess } from './support/registrars.ts';

describe('the admission fence under concurrency', () => {
  it('after Drained is reported no registration lands, and refused ones leave nothing (32 registrants, 50 rounds, one clock)', async () => {
    await fenceRace(inProcess, 50, '0');
  }, 300_000);

  it('the same with a 1 s clock skew allowance (5 rounds)', async () => {
    await fenceRace(inProcess, 5, '1000');
  }, 300_000);
});
