import { createCwClient, CwApiError, pullBundle, testConnection } from '../connectwise';
import { checkHealth } from '../health';
import type { CwCredentials, CwPort, EnginePort } from './ports';
import { reconcile } from '../reconcile';
import { renderReport } from '../report';

/**
 * The ConnectWise port over the real REST client. `fetch` is injected: the background passes
 * the browser's, tests a local server's. Credentials go into the client and nowhere else; errors
 * carry the client's user messages, which never include them.
 */
export function createCwPort(deps: { fetch?: typeof fetch } = {}): CwPort {
  const client = (c: CwCredentials) =>
    createCwClient({ site: c.site, companyId: c.companyId, publicKey: c.publicKey, privateKey: c.privateKey, clientId: c.clientId, keySite: c.keySite, codebase: c.codebase, fetch: deps.fetch });
  return {
    async pull(credentials, options) {
      try {
        return await pullBundle(client(credentials), {
          companies: options.companies,
          products: options.products,
          window: options.window,
          signal: options.signal,
          onProgress: (p) => options.onProgress(p.done, p.total, p.stage),
          now: options.now,
        });
      } catch (error) {
        if (error instanceof CwApiError) throw new Error(error.userMessage);
        throw error;
      }
    },
    async test(credentials, signal) {
      let result;
      try {
        result = await testConnection(client(credentials), signal);
      } catch (error) {
        const message = error instanceof CwApiError ? error.userMessage : error instanceof Error ? error.message : String(error);
        return { ok: false, message, missingPermissions: [], checks: [] };
      }
      return {
        ok: result.ok,
        message: result.message,
        missingPermissions: result.missing.map((m) => m.message),
        checks: [],
      };
    },
    async health({ bundle, lines, config }) {
      if (!bundle) {
        return [
          {
            id: 'cw-data',
            title: 'ConnectWise data',
            status: 'skip',
            detail: 'No ConnectWise data yet: pull through the API or capture an agreement\'s Additions.',
          },
        ];
      }
      return checkHealth({ bundle, lines, config }).checks;
    },
  };
}

export const engine: EnginePort = {
  reconcile: (input) => reconcile(input),
  render: (report, format) => renderReport(report, format),
};
