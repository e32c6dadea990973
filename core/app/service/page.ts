import { ProtocolError } from '../../protocol/messages';
import type { LinkBases } from '../../model';
import type { Handlers } from '../../protocol/router';
import { captureSummary, cwSite, runSummary, type ServiceContext } from './context';

/** What the panel opens on, and what tabs tell the background about the page they show. */
export function pageHandlers(ctx: ServiceContext): Handlers {
  const { ports, pages } = ctx;
  /**
   * A captured Additions page may not show its agreement's name; another capture or a pull that
   * read the same agreement does, so the start view can name it rather than show a bare id.
   */
  async function namedCaptures(metas: Awaited<ReturnType<typeof ports.captures.list>>) {
    const summaries = metas.map((m) => captureSummary(m));
    if (!summaries.some((c) => c.agreementId !== undefined)) return summaries;
    const names = await ctx.names().catch(() => null);
    return summaries.map((c) => {
      const known = c.agreementId !== undefined ? names?.agreements[String(c.agreementId)] : undefined;
      if (!known || c.agreementName) return c;
      const company = names?.companies[String(known.companyId)];
      return { ...c, agreementName: known.name, ...(company && !c.companyName ? { companyName: company } : {}) };
    });
  }
  return {
    'page.context': ({ tabId }) => ctx.pageContext(tabId),
    'page.report': ({ context }, sender) => {
      if (sender.tabId === undefined) throw new ProtocolError('forbidden', 'page.report needs a tab');
      // Only the top frame speaks for the tab; frames inside it describe nothing the panel shows.
      if (sender.frameId !== undefined && sender.frameId !== 0) return { ok: true as const };
      ports.broadcast({ event: 'page.changed', context: pages.report(sender.tabId, context) });
      return { ok: true as const };
    },

    'panel.start': async ({ tabId }) => {
      const settings = await ctx.refreshHosts();
      const [page, metas, run, privateKey] = await Promise.all([ctx.pageContext(tabId), ports.captures.list(), ctx.latestRun(), ports.settings.privateKey()]);
      const current = metas.filter((m) => m.current !== false);
      const months = [...new Set(current.filter((m) => m.kind === 'platform').flatMap((m) => m.months))].sort();
      const apiReady = !!(privateKey && settings.cw.companyId && settings.cw.publicKey && settings.cw.clientId);
      const platformCapture = current.find((m) => m.kind === 'platform' && m.url?.startsWith('http'));
      const links: LinkBases = { cwCompanyId: settings.cw.companyId || undefined };
      try {
        const site = cwSite(settings.cw);
        if (site) links.cwWebOrigin = new URL(/^https?:/.test(site) ? site : `https://${site}`).origin;
      } catch {
        // An unusable custom host: the panel shows findings without ConnectWise links.
      }
      if (platformCapture?.url) links.platformOrigin = new URL(platformCapture.url).origin;
      return {
        page,
        month: months.at(-1) ?? null,
        captures: await namedCaptures(current),
        cwSource: apiReady ? 'api' : current.some((m) => m.kind !== 'platform') ? 'captures' : 'none',
        lastRun: run ? runSummary(run) : null,
        links,
      };
    },
  };
}
