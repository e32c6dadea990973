import type { MappingConflict } from '../../core/model';

/**
 * One Platform organization mapped two ways: the user's own mapping and the one a capture
 * learned. The store's tests make it and the panel's tests show and settle it, so both speak of
 * the same conflict.
 */
export const COBALT = {
  kind: 'organization',
  platform: 'Cobalt AB',
  user: 'Cobalt Holding',
  captured: 'Cobalt AB (ConnectWise)',
} as const;

/** The conflict as the store answers it; `capturedLines`: Platform lines carrying the captured side. */
export function cobaltConflict(capturedLines = 0): MappingConflict {
  return {
    kind: COBALT.kind,
    side: 'platform',
    name: COBALT.platform,
    candidates: [
      { name: COBALT.user, source: 'user', count: 0 },
      { name: COBALT.captured, source: 'captured', count: capturedLines },
    ],
  };
}
