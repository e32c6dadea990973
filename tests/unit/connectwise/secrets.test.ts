import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CwApiError} from '../../../core/connectwise';
import { createCwClient, pullBundle, SystemInfo, testConnection } from '../../../core/connectwise';
import { CwCompany } from '../../../core/model';
import { guideSecurity } from '../../sandbox/cw-api/data';
import { sandbox } from './helpers';

const CREDS = { companyId: 'acme', publicKey: 'Pub-KEY', privateKey: 'very-Secret-Private-Key-91', clientId: 'cid-1' };
const BASIC = Buffer.from(`${CREDS.companyId}+${CREDS.publicKey}:${CREDS.privateKey}`).toString('base64');
const noSleep = async () => {};

function assertClean(label: string, value: unknown) {
  const texts = [inspect(value, { depth: 12, showHidden: true, getters: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '');
  for (const text of texts) {
    expect(text.includes(CREDS.privateKey), `${label} shows the private key`).toBe(false);
    expect(text.includes(BASIC), `${label} shows the Authorization header`).toBe(false);
  }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('the private key never leaks from the client', () => {
  it('not in the client object, results, bundles, errors of any kind, or the server log', async () => {
    const lacking = guideSecurity().filter((r) => r.moduleFunctionName !== 'Company Maintenance');
    const s = await sandbox({ credentials: CREDS });
    const c = createCwClient({ site: s.url, ...CREDS, sleep: noSleep, retry: { retries: 1, timeoutMs: 300 } });
    assertClean('client', c);
    assertClean('bundle', await pullBundle(c, { now: new Date(0) }));
    assertClean('connection result', await testConnection(c));

    const seen: unknown[] = [];
    seen.push(await caught(createCwClient({ site: s.url, ...CREDS, privateKey: `${CREDS.privateKey}x` }).list('/company/companies', { schema: CwCompany })));
    const forbidden = await sandbox({ credentials: CREDS, security: lacking });
    seen.push(await caught(pullBundle(createCwClient({ site: forbidden.url, ...CREDS }), { now: new Date(0) })));
    seen.push(await caught(createCwClient({ site: s.url, ...CREDS, codebase: 'v0_0' }).get('/system/info', SystemInfo)));
    s.setFaults({ rules: [{ kind: 'server-error' }] });
    seen.push(await caught(createCwClient({ site: s.url, ...CREDS, codebase: 'v2025_1', sleep: noSleep, retry: { retries: 1 } }).get('/system/info', SystemInfo)));
    s.setFaults({ rules: [{ kind: 'hang' }] });
    seen.push(await caught(createCwClient({ site: s.url, ...CREDS, codebase: 'v2025_1', sleep: noSleep, retry: { retries: 0, timeoutMs: 200 } }).get('/system/info', SystemInfo)));
    s.setFaults({});
    seen.push(await caught(createCwClient({ site: 'http://127.0.0.1:9', ...CREDS, codebase: 'v2025_1', sleep: noSleep, retry: { retries: 0 } }).get('/system/info', SystemInfo)));
    seen.push(await caught(Promise.resolve().then(() => createCwClient({ site: 'http://example.com', ...CREDS }))));

    expect(seen.map((e) => (e as CwApiError).code)).toEqual(['Unauthorized', 'Forbidden', 'NotFound', 'ServerError', 'Timeout', 'Network', 'InvalidSite']);
    seen.forEach((err, i) => assertClean(`error ${i}`, err));
    assertClean('server log', [...s.requests, ...forbidden.requests]);
  });
});
