import { describe, expect, it } from 'vitest';
import { CHROMIUM, JAVA, machineFacts, planInstall } from '../../local/engines/debian-package.ts';

describe("npm test's install step: what it does about a missing program", () => {
  it('does nothing when the program is present', () => {
    expect(planInstall(CHROMIUM, { present: true, root: false, apt: false })).toEqual({ action: 'none' });
  });

  it('installs it with apt as root', () => {
    expect(planInstall(CHROMIUM, { present: false, root: true, apt: true })).toEqual({
      action: 'install',
      argv: ['install', '-y', '-qq', 'chromium'],
    });
  });

  it('stops with the one command to run when it is not root', () => {
    const plan = planInstall(CHROMIUM, { present: false, root: false, apt: true });
    expect(plan.action).toBe('stop');
    expect(plan).toMatchObject({ message: expect.stringContaining('sudo apt-get install -y chromium') });
    expect(plan).toMatchObject({ message: expect.stringContaining('needs root') });
  });

  it('stops naming the package when the machine has no apt-get', () => {
    const plan = planInstall(JAVA, { present: false, root: true, apt: false });
    expect(plan).toMatchObject({
      action: 'stop',
      message: expect.stringContaining('apt-get install -y openjdk-17-jre-headless'),
    });
    expect(plan).toMatchObject({ message: expect.stringContaining('no apt-get') });
  });

  it('reads this machine: after the install step, Java and Chromium are present', () => {
    expect(machineFacts(JAVA).present).toBe(true);
    expect(machineFacts(CHROMIUM).present).toBe(true);
  });
});
