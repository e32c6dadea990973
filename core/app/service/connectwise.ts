import type { PlatformLine, PublicSettings } from '../../model';
import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import type { StoredCapture } from '../ports';
import { captureSummary, cwSite, lastDay, monthOfDate, type ServiceContext } from './context';

/** The ConnectWise API: testing the connection, pulling a month, and the health checks. */
export function connectwiseHandlers(ctx: ServiceContext): Handlers {
  const { ports, jobs, changed } = ctx;
  return {
    'cw.test': async ({ draft }) => {
      const creds = await ctx.credentials(draft);
      const keyHome = creds ? null : await ctx.draftNeedsOwnKey(draft);
      if (keyHome) {
        return {
          ok: false,
          message: `The saved private key belongs to ${keyHome} and is not sent to another site: enter the private key for ${cwSite({ ...(await ports.settings.get()).cw, ...draft } as PublicSettings['cw'])} to test it.`,
          missingPermissions: [],
          checks: [],
        };
      }
      if (!creds) {
        return {
          ok: false,
          message: 'Fill in the site, company ID, public key, private key and client ID first.',
          missingPermissions: [],
          checks: [],
        };
      }
      return ports.cw.test(creds);
    },
    'cw.pull': ({ jobId, companies }) =>
      jobs.run('pull', jobId, async (job) => {
        const creds = await ctx.credentials();
        if (!creds) throw new ProtocolError('invalid', 'Set up the ConnectWise connection in the options first.');
        const current = await ports.captures.current({ kind: 'platform' }).catch(() => [] as StoredCapture[]);
        const lines = current.flatMap((c) => c.lines ?? []);
        const fromLines = [...new Set(lines.map((l) => l.psaOrganizationName).filter((n): n is string => !!n?.trim()))];
        const products = [...new Set(lines.map((l) => l.psaProductName).filter((n): n is string => !!n?.trim()))];
        const dates = lines.map((l) => l.invoiceDate).sort();
        const window = dates.length ? { from: `${dates[0]!.slice(0, 7)}-01`, to: `${dates.at(-1)!.slice(0, 7)}-31` } : undefined;
        const wanted = companies ?? (fromLines.length ? fromLines : undefined);
        const bundle = await ports.cw.pull(creds, {
          companies: wanted,
          products: products.length ? products : undefined,
          window: window ? { from: window.from, to: lastDay(window.to) } : undefined,
          signal: job.signal,
          onProgress: (done, total, stage) => job.progress(stage, done, total),
          now: ports.now(),
        });
        job.throwIfCancelled();
        const months = [...new Set(dates.map(monthOfDate))];
        const meta = await ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months });
        changed('captures');
        return captureSummary(meta);
      }),
    'health.check': async () => {
      const settings = await ports.settings.get();
      const [creds, input, merged] = await Promise.all([
        ctx.credentials(),
        ctx.linesFor(undefined).catch(() => ({ lines: [] as PlatformLine[] })),
        ctx.cwBundle('auto'),
      ]);
      return ports.cw.health({ credentials: creds, bundle: merged.used.length ? merged.bundle : null, lines: input.lines, config: settings.reconcile });
    },
  };
}
