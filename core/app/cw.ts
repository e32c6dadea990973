import { createCwClient, CwApiError, pullBundle, testConnection } from '../connectwise';
import { checkHealth, permissionChecks, type HealthCheck, type SecuritySettings } from '../health';
import type { CwCredentials, CwPort, EnginePort } from './ports';
import { reconcile } from '../reconcile';

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
    async health({ credentials, bundle, lines, config }) {
      // The saved connection answers the permission check; without keys the check says so in the
      // extension's words (the engine's own words name the CLI's --site option).
      let permissions: HealthCheck[];
      let security: SecuritySettings | undefined;
      if (!credentials) {
        permissions = [{ id: 'permissions', status: 'warn', title: 'API member permissions', detail: 'Not checked: no ConnectWise API keys are saved.', fix: 'Save the API keys in the options (ConnectWise connection), then check again.' }];
      } else {
        let result: Awaited<ReturnType<typeof testConnection>> | null = null;
        let failure = '';
        try {
          result = await testConnection(client(credentials));
        } catch (error) {
          failure = error instanceof CwApiError ? error.userMessage : error instanceof Error ? error.message : String(error);
        }
        security = result?.security;
        permissions = security
          ? permissionChecks(security)
          : [{ id: 'permissions', status: 'fail', title: 'API member permissions', detail: `Not checked: the saved ConnectWise connection failed: ${result?.message ?? failure}`, fix: 'Fix the connection in the options (Test connection), then check again.' }];
      }
      if (!bundle) {
        return [
          {
            id: 'cw-data',
            title: 'ConnectWise data',
            status: 'skip',
            detail: 'No ConnectWise data yet: pull through the API or capture an agreement\'s Additions.',
          },
          ...permissions,
        ];
      }
      const checks = checkHealth({ bundle, lines, config, security }).checks;
      return [...checks.filter((c) => c.id !== 'permissions' && !c.id.startsWith('permission:')), ...permissions];
    },
  };
}

export const engine: EnginePort = {
  reconcile: (input) => reconcile(input),
};
