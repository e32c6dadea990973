import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCwPort } from '../../../core/app/cw';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { workedMonth } from '../worked-month';

const { bundle } = workedMonth();

/** Setup health in the extension asks the saved connection, against the sandbox's ConnectWise API. */
describe('setup health uses the saved ConnectWise connection', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ bundle });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('with saved keys, the permission check is made, never "no connection was given"', async () => {
    const checks = await createCwPort().health({ credentials: { site: sandbox.url, ...sandbox.credentials }, bundle, lines: [], config: {} });
    const permissions = checks.filter((c) => c.id === 'permissions' || c.id.startsWith('permission:'));
    expect(permissions.length).toBeGreaterThan(0);
    expect(permissions.every((c) => c.status !== 'skip' && !/no ConnectWise connection was given/.test(c.detail))).toBe(true);
    expect(permissions.map((c) => c.status)).toEqual(['ok']);
  });

  it('with no data yet, the saved keys still answer the permission check', async () => {
    const checks = await createCwPort().health({ credentials: { site: sandbox.url, ...sandbox.credentials }, bundle: null, lines: [], config: {} });
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['cw-data', 'skip'],
      ['permissions', 'ok'],
    ]);
  });

  it('refused keys say the saved connection failed; no keys say so in the extension\u2019s words', async () => {
    const refused = await createCwPort().health({ credentials: { site: sandbox.url, ...sandbox.credentials, privateKey: 'wrong' }, bundle, lines: [], config: {} });
    expect(refused.find((c) => c.id === 'permissions')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/saved ConnectWise connection failed/) });
    const none = await createCwPort().health({ credentials: null, bundle, lines: [], config: {} });
    const check = none.find((c) => c.id === 'permissions')!;
    expect(check.detail).toMatch(/no ConnectWise API keys are saved/);
    expect(check.fix).not.toMatch(/--site|recon health/);
  });
});
