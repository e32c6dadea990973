import { z } from 'zod';
import { CW_CLOUD_REGIONS } from '../shared/hosts';
import { ReconcileConfig } from './config';

/** What the options page offers: the cloud regions, ConnectWise's staging cloud, or a custom host. */
export const CW_REGIONS = [...CW_CLOUD_REGIONS, 'staging', 'custom'] as const;

/** ConnectWise connection as the pages may see it: never the private key itself. */
export const PublicCwSettings = z.object({
  region: z.enum(CW_REGIONS),
  /** Web host for a custom / on-premise site (`cw.example.com`); empty for cloud regions. */
  customHost: z.string().default(''),
  companyId: z.string().default(''),
  publicKey: z.string().default(''),
  clientId: z.string().default(''),
  hasPrivateKey: z.boolean(),
});
export type PublicCwSettings = z.infer<typeof PublicCwSettings>;

export const HostSettings = z.object({
  /** Extra Platform hosts (custom seller domains), as match patterns. */
  platform: z.array(z.string()).default([]),
  /** Extra ConnectWise hosts (on-premise), as match patterns. */
  connectwise: z.array(z.string()).default([]),
});

/** In-page help: one switch overall, and hosts where the user turned it off (tooltips and badges). */
export const InPageSettings = z.object({
  enabled: z.boolean(),
  offHosts: z.array(z.string()).default([]),
});

export const PublicSettings = z.object({
  cw: PublicCwSettings,
  reconcile: ReconcileConfig,
  hosts: HostSettings,
  inPage: InPageSettings,
});
export type PublicSettings = z.infer<typeof PublicSettings>;

/**
 * A settings change. `cw.privateKey` is write-only: a string sets it, null clears it, absent
 * leaves it. It is never read back through this protocol.
 */
export const SettingsPatch = z.object({
  // Spelled out rather than derived: the read schema's defaults would fill absent fields with ''
  // and a patch of one field would blank the others.
  cw: z
    .object({
      region: z.enum(CW_REGIONS).optional(),
      customHost: z.string().optional(),
      companyId: z.string().optional(),
      publicKey: z.string().optional(),
      clientId: z.string().optional(),
      privateKey: z.string().nullable().optional(),
    })
    .optional(),
  reconcile: ReconcileConfig.optional(),
  hosts: z.object({ platform: z.array(z.string()).optional(), connectwise: z.array(z.string()).optional() }).optional(),
  inPage: z.object({ enabled: z.boolean().optional(), offHosts: z.array(z.string()).optional() }).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Connection credentials to try without saving them (the options page's *Test connection*). */
export const CwCredentialsDraft = z.object({
  region: z.enum(CW_REGIONS).optional(),
  customHost: z.string().optional(),
  companyId: z.string().optional(),
  publicKey: z.string().optional(),
  /** Absent: use the stored key. */
  privateKey: z.string().optional(),
  clientId: z.string().optional(),
});
export type CwCredentialsDraft = z.infer<typeof CwCredentialsDraft>;
