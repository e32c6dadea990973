import { describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../../core/protocol/client';
import { MESSAGES, ProtocolError, type MessageType } from '../../../core/protocol/messages';
import type { PublicSettings } from '../../../core/model';
import { createRouter, senderRole, type Handlers, type RoleRules, type SenderInfo } from '../../../core/protocol/router';

const RULES: RoleRules = {
  extensionId: 'abcdefghijklmnopabcdefghijklmnop',
  extensionOrigin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  pages: { panel: ['/sidepanel.html'], options: ['/options.html'] },
};
const PANEL: SenderInfo = { id: RULES.extensionId, url: `${RULES.extensionOrigin}/sidepanel.html`, origin: RULES.extensionOrigin };
const OPTIONS_TAB: SenderInfo = { id: RULES.extensionId, url: `${RULES.extensionOrigin}/options.html`, origin: RULES.extensionOrigin, tab: { id: 9, url: `${RULES.extensionOrigin}/options.html` } };
const CONTENT: SenderInfo = { id: RULES.extensionId, url: 'https://demo.rethinkportal.com/mapping/invoices', origin: 'https://demo.rethinkportal.com', tab: { id: 4, url: 'https://demo.rethinkportal.com/mapping/invoices' }, frameId: 0 };

const SETTINGS: PublicSettings = {
  cw: { region: 'na', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', hasPrivateKey: true },
  reconcile: {},
  hosts: { platform: [], connectwise: [] },
  inPage: { enabled: true, offHosts: [] },
};

describe('senderRole', () => {
  it('tells our pages by their path and content scripts by their tab', () => {
    expect(senderRole(PANEL, RULES)).toBe('panel');
    expect(senderRole(OPTIONS_TAB, RULES)).toBe('options');
    expect(senderRole(CONTENT, RULES)).toBe('content');
  });

  it('gives no role to other extensions, unknown pages of ours, or frames without a tab', () => {
    expect(senderRole({ ...PANEL, id: 'another-extension' }, RULES)).toBeNull();
    expect(senderRole({ ...PANEL, url: `${RULES.extensionOrigin}/popup.html` }, RULES)).toBeNull();
    expect(senderRole({ id: RULES.extensionId, url: 'https://demo.rethinkportal.com/' }, RULES)).toBeNull();
    // A web page claiming an extension URL while its origin says otherwise.
    expect(senderRole({ ...PANEL, origin: 'https://evil.example' }, RULES)).toBeNull();
  });
});

describe('the router', () => {
  const handlers: Handlers = {
    'settings.get': () => ({ ...SETTINGS, cw: { ...SETTINGS.cw, privateKey: 'TOP-SECRET' } as PublicSettings['cw'] }),
    'help.config': (_r, ctx) => ({ tooltips: ctx.role === 'content', badges: true }),
    'job.cancel': () => {
      throw new ProtocolError('not_found', 'no such job');
    },
    'runs.list': () => {
      throw new Error('disk on fire');
    },
  };
  const route = createRouter(handlers, RULES);

  it('never lets a secret ride along on an answer: fields outside the schema are dropped', async () => {
    const answer = await route({ type: 'settings.get' }, PANEL);
    expect(answer.ok).toBe(true);
    expect(JSON.stringify(answer)).not.toContain('TOP-SECRET');
    expect(answer.ok && (answer.value as PublicSettings).cw.hasPrivateKey).toBe(true);
  });

  it('refuses page-only requests from content scripts, and secrets-bearing ones above all', async () => {
    for (const type of ['settings.get', 'settings.set', 'cw.test', 'cw.pull', 'data.export', 'data.importPreview', 'data.clear', 'capture.start', 'invoicing.readiness'] as MessageType[]) {
      const answer = await route({ type }, CONTENT);
      expect(answer, type).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(type) } });
    }
  });

  it('lets content scripts ask for what their page needs', async () => {
    const answer = await route({ type: 'help.config', app: 'platform' }, CONTENT);
    expect(answer).toEqual({ ok: true, value: { tooltips: true, badges: true } });
  });

  it('validates the payload before any handler runs, naming the field', async () => {
    const answer = await route({ type: 'help.config', app: 'sharepoint' }, CONTENT);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.code).toBe('invalid');
    expect(!answer.ok && answer.error.message).toMatch(/app/);
  });

  it('takes a Thru Date only as a calendar date that exists, and the readiness answer only in its schema', async () => {
    let asked: string | undefined;
    const readiness = { thruDate: '2026-11-30', agreements: [], totals: {}, steps: ['Click Search.'] };
    const r = createRouter({ 'invoicing.readiness': ({ thruDate }) => ((asked = thruDate), { ...readiness, thruDate }) }, RULES);
    for (const bad of ['2026-11', '30/11/2026', '2026-02-30', '2026-13-01']) {
      const answer = await r({ type: 'invoicing.readiness', thruDate: bad }, PANEL);
      expect(answer, bad).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/thruDate/) } });
    }
    expect(asked).toBeUndefined();
    expect(await r({ type: 'invoicing.readiness', thruDate: '2028-02-29' }, OPTIONS_TAB)).toEqual({ ok: true, value: { ...readiness, thruDate: '2028-02-29' } });
    const broken = createRouter({ 'invoicing.readiness': () => ({ ...readiness, agreements: [{ agreementId: 'x' }] }) as never }, RULES);
    expect(await broken({ type: 'invoicing.readiness', thruDate: '2026-11-30' }, PANEL)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('answers unknown types, unknown senders and missing handlers with an error, not silence', async () => {
    expect(await route({ type: 'nope' }, PANEL)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await route({ type: 'settings.get' }, { id: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await route({ type: 'mappings.list' }, PANEL)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('passes a partial settings patch on as sent: absent fields stay absent', async () => {
    let seen: unknown;
    const r = createRouter({ 'settings.set': ({ patch }) => ((seen = patch), SETTINGS) }, RULES);
    await r({ type: 'settings.set', patch: { cw: { privateKey: 'k' }, hosts: { platform: ['a.example'] }, inPage: { enabled: false } } }, OPTIONS_TAB);
    expect(seen).toEqual({ cw: { privateKey: 'k' }, hosts: { platform: ['a.example'] }, inPage: { enabled: false } });
  });

  it('carries ProtocolError codes and wraps other failures', async () => {
    expect(await route({ type: 'job.cancel', jobId: 'j1' }, PANEL)).toEqual({ ok: false, error: { code: 'not_found', message: 'no such job' } });
    expect(await route({ type: 'runs.list' }, PANEL)).toEqual({ ok: false, error: { code: 'failed', message: 'disk on fire' } });
  });

  it('gives every content-script message a role list that excludes secrets', () => {
    for (const [type, def] of Object.entries(MESSAGES)) {
      if (!(def.roles as readonly string[]).includes('content')) continue;
      expect(type, `${type} is open to content scripts`).toMatch(/^(page\.report|capture\.progress|dictionary\.list|help\.)/);
    }
  });
});

describe('the client over a transport', () => {
  it('round-trips a request through the router and unwraps the answer', async () => {
    const route = createRouter({ 'help.config': () => ({ tooltips: false, badges: false }) }, RULES);
    const client = createProtocolClient({ send: (m) => route(m, CONTENT), listen: () => () => undefined });
    await expect(client.send('help.config', { app: 'connectwise' })).resolves.toEqual({ tooltips: false, badges: false });
  });

  it('turns error answers and transport failures into ProtocolErrors', async () => {
    const route = createRouter({}, RULES);
    const client = createProtocolClient({ send: (m) => route(m, CONTENT), listen: () => () => undefined });
    await expect(client.send('settings.get', {})).rejects.toMatchObject({ name: 'ProtocolError', code: 'forbidden' });
    const dead = createProtocolClient({ send: () => Promise.reject(new Error('Extension context invalidated.')), listen: () => () => undefined });
    await expect(dead.send('help.config', { app: 'platform' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('passes on events and ignores other messages', () => {
    let listener: (m: unknown) => void = () => undefined;
    const client = createProtocolClient({ send: async () => undefined, listen: (l) => ((listener = l), () => undefined) });
    const seen: string[] = [];
    client.onEvent((e) => seen.push(e.event));
    listener({ type: 'settings.get' });
    listener({ channel: 'cw-reconciler/event', payload: { event: 'data.changed', stores: ['runs'] } });
    expect(seen).toEqual(['data.changed']);
  });
});

describe('notes of any length', () => {
  it('passes a 5,000-character note to the handler whole, as a verdict, in a bulk verdict and at sign-off', async () => {
    const long = 'Agreed with the customer on the phone; credit follows next month. '.repeat(80);
    expect(long.length).toBeGreaterThan(5000);
    const seen: unknown[] = [];
    const keep = (request: { note?: string }) => {
      seen.push(request.note);
      return null;
    };
    const route = createRouter(
      {
        'resolution.set': keep,
        'resolutions.apply': (r: { changes: { note?: string }[] }) => {
          seen.push(r.changes[0]?.note);
          return { changed: 1 };
        },
        'runs.signOff': (r: { note?: string }) => {
          seen.push(r.note);
          return { by: 'Ann', at: '2026-11-28T10:00:00.000Z', note: r.note, resolutions: [] };
        },
      } as unknown as Handlers,
      RULES,
    );
    const answers = [
      await route({ type: 'resolution.set', fingerprint: 'f1', status: 'resolved', note: long }, PANEL),
      await route({ type: 'resolutions.apply', label: 'Resolve 1', changes: [{ fingerprint: 'f1', status: 'ignored', note: long }] }, PANEL),
      await route({ type: 'runs.signOff', runId: 'r1', by: 'Ann', note: long }, PANEL),
    ];
    expect(answers.map((a) => a.ok)).toEqual([true, true, true]);
    expect(seen).toEqual([long, long, long]);
  });
});
