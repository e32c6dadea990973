import type { CaptureSummary } from '../../model';
import { contentAnswer, contentRequest } from '../../protocol/content';
import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import { pageNames } from '../bundles';
import type { RunningJob } from '../jobs';
import { captureSummary, learnMappings, type ServiceContext } from './context';

/** Page captures: reading the tab's grid through its content script, listing and deleting them. */
export function captureHandlers(ctx: ServiceContext): Handlers {
  const { ports, jobs, changed } = ctx;

  async function capture(tabId: number, job: RunningJob): Promise<CaptureSummary> {
    const onAbort = () => void ports.tabs.send(tabId, contentRequest('content.cancel', { jobId: job.id })).catch(() => undefined);
    job.signal.addEventListener('abort', onAbort, { once: true });
    let raw: unknown;
    try {
      const { reconcile: config } = await ports.settings.get();
      raw = await ports.tabs.send(tabId, contentRequest('content.capture', { jobId: job.id, config }));
    } catch (error) {
      throw new ProtocolError(
        'unavailable',
        `This page cannot be captured (${error instanceof Error ? error.message : String(error)}). Reload the tab and try again.`,
      );
    } finally {
      job.signal.removeEventListener('abort', onAbort);
    }
    job.throwIfCancelled();
    const result = contentAnswer('content.capture', raw);
    job.progress('saving', 0);
    if (result.app === 'platform') {
      if (result.lines.length === 0) throw new ProtocolError('not_found', 'No invoice lines were found on this page.');
      const meta = await ports.captures.addLines({ lines: result.lines, skippedRows: result.skipped, url: result.url, complete: result.complete, gridTotal: result.gridTotal });
      await learnMappings(ports, result.lines);
      changed('captures', 'mappings');
      return captureSummary(meta);
    }
    const meta = await ports.captures.addBundle({
      bundle: result.bundle,
      url: result.url,
      complete: result.complete,
      gridTotal: result.gridTotal,
      skipped: result.skipped.length,
      ...pageNames(result.bundle),
    });
    changed('captures');
    return captureSummary(meta);
  }

  return {
    'capture.start': async ({ tabId, jobId }) => {
      const id = await ctx.targetTab(tabId);
      return jobs.run('capture', jobId, (job) => capture(id, job));
    },
    'capture.progress': ({ progress }) => {
      // Relayed only for jobs this background started, so a page cannot invent progress.
      if (jobs.isRunning(progress.jobId)) ports.broadcast({ event: 'job.progress', progress: { ...progress, job: 'capture' } });
      return { ok: true as const };
    },
    'captures.list': async ({ month }) => (await ports.captures.list(month ? { month } : undefined)).map((m) => captureSummary(m)),
    'captures.delete': async ({ id }) => {
      await ports.captures.remove(id);
      changed('captures');
      return { ok: true as const };
    },
    'job.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}
