import { z } from 'zod';

/** `skip`: the check could not run (no ConnectWise data yet), which is neither a pass nor a problem. */
export const HealthStatus = z.enum(['ok', 'warn', 'fail', 'skip']);
export type HealthStatus = z.infer<typeof HealthStatus>;

/** One setup check, as the engine makes it and the CLI, the panel and the options page show it. */
export const HealthCheck = z.object({
  /** Stable: the check's kind, then the record it is about (`company-site:118`). */
  id: z.string(),
  status: HealthStatus,
  title: z.string(),
  detail: z.string(),
  fix: z.string().optional(),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

/** The answer to *Test connection*. */
export const ConnectionResult = z.object({
  ok: z.boolean(),
  /** One sentence, green or red in the options page. */
  message: z.string(),
  /** API permission names the Security Role lacks (guide section 10), when a 403 said so. */
  missingPermissions: z.array(z.string()).default([]),
  checks: z.array(HealthCheck).default([]),
});
export type ConnectionResult = z.infer<typeof ConnectionResult>;
