import type { EntityLookup, MappingKind } from '../../model';
import { ProtocolError } from '../../protocol/errors';
import type { Handlers } from '../../protocol/router';
import { mergeBundles } from '../bundles';
import { verdictsForAgreement } from '../verdicts';
import { CW_CAPTURE_KINDS, helpOn, type ServiceContext } from './context';

/** What the content scripts ask for their in-page help: switches, entities, badges' verdicts. */
export function helpHandlers(ctx: ServiceContext): Handlers {
  const { ports } = ctx;
  return {
    'help.load': async (_request, sender) => {
      if (sender.tabId === undefined) throw new ProtocolError('forbidden', 'help.load needs a tab');
      await ports.tabs.runInPage(sender.tabId, sender.frameId ?? 0);
      return { ok: true };
    },
    'help.config': async (_request, sender) => {
      const settings = await ports.settings.get();
      const on = helpOn(settings, sender.url);
      return { tooltips: on, badges: on };
    },
    'help.entities': async ({ app, names: asked, kind }) => {
      const kinds: MappingKind[] = kind ? [kind] : ['organization', 'offer'];
      const out: EntityLookup[] = [];
      if (app === 'connectwise') {
        for (const name of asked) {
          for (const k of kinds) {
            const found = await ports.mappings.findByCw(k, name);
            if (found.length || kind) out.push({ name, side: 'cw', kind: k, mappedTo: found.map((m) => m.platform) });
          }
        }
      } else {
        const all = await ports.mappings.list();
        for (const name of asked) {
          const key = name.trim().toLowerCase();
          for (const k of kinds) {
            const found = all.filter((m) => m.kind === k && m.platform.trim().toLowerCase() === key);
            if (found.length || kind) out.push({ name, side: 'platform', kind: k, mappedTo: found.map((m) => m.cw) });
          }
        }
      }
      return out;
    },
    'help.verdicts': async ({ agreementId }, sender) => {
      const settings = await ports.settings.get();
      if (sender.role === 'content' && !helpOn(settings, sender.url)) return null;
      const run = await ctx.latestRun();
      if (!run) return null;
      // The run's own ConnectWise captures, so the descriptors are what the run judged.
      const used = (await ports.captures.current({ kind: CW_CAPTURE_KINDS })).filter((c) => run.captureIds.includes(c.id));
      const additions = used.length ? mergeBundles(used, 'auto').bundle.additions : [];
      return { runId: run.id, verdicts: verdictsForAgreement(run.report, agreementId, additions) };
    },
    'help.open': async ({ fingerprint, agreementId }, sender) => {
      await ports.panel.open(sender.tabId).catch((e: unknown) => ports.log(`opening the side panel failed: ${String(e)}`));
      ports.broadcast({ event: 'panel.focus', fingerprint, agreementId });
      return { ok: true as const };
    },
  };
}
