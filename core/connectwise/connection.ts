import { z } from 'zod';
import type { CwClient } from './client';
import { CwApiError } from './errors';
import { findPermissionGaps, SecuritySetting, type PermissionGap, type SecuritySettings } from './permissions';
import { SystemInfo } from './schemas';

export interface ConnectionResult {
  /** Reached, authenticated, and the role covers the guide's matrix. */
  ok: boolean;
  /** Reached and authenticated (keys, clientId, site and codebase are right). */
  connected: boolean;
  apiBase?: string;
  version?: string;
  isCloud?: boolean;
  missing: PermissionGap[];
  /** The member's own permissions, for the health checks. */
  security?: SecuritySettings;
  message: string;
  error?: { status: number; code: string; message: string };
}

/** Options-page *Test connection*: /system/info proves the keys, /system/mySecurity the role. */
export async function testConnection(client: CwClient, signal?: AbortSignal): Promise<ConnectionResult> {
  try {
    const apiBase = await client.apiBase(signal);
    const info = await client.get('/system/info', SystemInfo, { signal });
    const security = await client.get('/system/mySecurity', z.array(SecuritySetting), { signal });
    const missing = findPermissionGaps(security);
    const version = info.version ?? undefined;
    const where = `${client.host.origin}${version ? ` (ConnectWise ${version})` : ''}`;
    return {
      ok: missing.length === 0,
      connected: true,
      apiBase,
      version,
      isCloud: info.isCloud ?? undefined,
      missing,
      security,
      message: missing.length
        ? `Connected to ${where}, but the API member's Security Role lacks ${missing.length} permission${missing.length === 1 ? '' : 's'} the setup guide (section 10) requires: ${missing.map((m) => m.message).join('; ')}.`
        : `Connected to ${where}; the Security Role covers the setup guide's permission matrix.`,
    };
  } catch (err) {
    if (!(err instanceof CwApiError)) throw err;
    return { ok: false, connected: false, missing: [], message: err.userMessage, error: { status: err.status, code: err.code, message: err.userMessage } };
  }
}
