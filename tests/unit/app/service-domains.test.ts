import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AppPorts } from '../../../core/app/ports';
import { createBackgroundService } from '../../../core/app/service';
import { createServiceContext } from '../../../core/app/service/context';
import { MESSAGES } from '../../../core/protocol/messages';
import type { Handlers } from '../../../core/protocol/router';

/*
 * The background service is split by domain, one file each under core/app/service/; the index
 * only composes them. Every message the pages and content scripts send to the background is
 * handled by exactly one domain file.
 */

const dir = new URL('../../../core/app/service/', import.meta.url).pathname;
const NOT_DOMAINS = new Set(['index.ts', 'context.ts']);

describe('the background service, one file per domain', () => {
  it('handles each background message in exactly one domain file', async () => {
    const ports = { now: () => new Date(0), newId: () => 'x', log: () => undefined, broadcast: () => undefined } as unknown as AppPorts;
    const ctx = createServiceContext(ports);
    const owner = new Map<string, string[]>();
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !NOT_DOMAINS.has(f));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const mod = (await import(`${dir}${file}`)) as Record<string, unknown>;
      const factories = Object.values(mod).filter((v): v is (c: typeof ctx) => Handlers => typeof v === 'function' && v.name.endsWith('Handlers'));
      expect(factories, file).toHaveLength(1);
      for (const type of Object.keys(factories[0]!(ctx))) owner.set(type, [...(owner.get(type) ?? []), file]);
    }
    const toBackground = Object.keys(MESSAGES).filter((t) => !t.startsWith('content.'));
    expect([...owner.keys()].sort()).toEqual(toBackground.sort());
    for (const [type, where] of owner) expect(where, type).toHaveLength(1);
    // The index composes the same table.
    expect(Object.keys(createBackgroundService(ports).handlers).sort()).toEqual(toBackground.sort());
  });
});
