import type { MappingConflict, MappingKind, PlatformLine } from '../../model';
import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import { nameKey } from '../../shared/text';
import type { MappingsPort } from '../ports';
import type { ServiceContext } from './context';

/** The line fields a mapping pairs: the Platform's name and the ConnectWise name the line carries. */
const LINE_SIDES: Record<MappingKind, (line: PlatformLine) => [string | undefined, string | undefined]> = {
  organization: (l) => [l.organization, l.psaOrganizationName],
  offer: (l) => [l.offer, l.psaProductName],
  contract: (l) => [l.contractId, l.psaAgreementName],
};

/**
 * Each candidate's count is how many Platform lines in the current captures pair the conflict's
 * name with that candidate's ConnectWise name: the evidence for each side the user weighs. A
 * user's own mapping is typed, not seen, so it counts only the lines that agree with it.
 */
export function countConflictLines(conflicts: readonly MappingConflict[], lines: readonly PlatformLine[]): MappingConflict[] {
  if (conflicts.length === 0) return [];
  const pairs = new Map<string, number>();
  for (const line of lines) {
    for (const kind of Object.keys(LINE_SIDES) as MappingKind[]) {
      const [platform, cw] = LINE_SIDES[kind](line);
      if (!platform?.trim() || !cw?.trim()) continue;
      const key = `${kind}|${nameKey(platform)}|${nameKey(cw)}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  return conflicts.map((c) => ({
    ...c,
    candidates: c.candidates.map((cand) => ({ ...cand, count: pairs.get(`${c.kind}|${nameKey(c.name)}|${nameKey(cand.name)}`) ?? 0 })),
  }));
}

function conflictPort(port: MappingsPort) {
  const { resolveConflict, reopenConflict, sides } = port;
  if (!resolveConflict || !reopenConflict || !sides) throw new ProtocolError('unavailable', 'Mapping conflicts cannot be settled from here.');
  return { resolveConflict, reopenConflict, sides };
}

/** Platform ↔ ConnectWise name mappings: listed, set by the user, deleted, and their conflicts settled. */
export function mappingHandlers(ctx: ServiceContext): Handlers {
  const { ports, changed } = ctx;
  return {
    'mappings.list': ({ kind }) => ports.mappings.list(kind),
    'mappings.set': async (input) => {
      const mapping = await ports.mappings.set({ kind: input.kind, platform: input.platform, cw: input.cw, cwId: input.cwId });
      changed('mappings');
      return mapping;
    },
    'mappings.delete': async ({ kind, platform }) => {
      await ports.mappings.remove(kind, platform);
      changed('mappings');
      return { ok: true as const };
    },
    'mappings.conflicts': async () => {
      const conflicts = await ports.mappings.conflicts();
      if (conflicts.length === 0) return [];
      const current = await ports.captures.current({ kind: 'platform' });
      return countConflictLines(conflicts, current.flatMap((c) => c.lines ?? []));
    },
    /*
     * Keeping the captured side deletes the user's mapping, so the answer hands it back to the
     * panel, which can restore it; keeping the user's side leaves the captured record stored,
     * only marked as seen.
     */
    'mappings.resolveConflict': async ({ kind, platform, keep }) => {
      const port = conflictPort(ports.mappings);
      const { user, captured } = await port.sides(kind, platform);
      if (!user || !captured) throw new ProtocolError('not_found', `There is no open mapping conflict for “${platform}”.`);
      await port.resolveConflict(kind, platform, keep);
      changed('mappings');
      return keep === 'user' ? { kept: user, setAside: captured } : { kept: captured, setAside: user };
    },
    'mappings.reopenConflict': async ({ kind, platform, setAside }) => {
      const port = conflictPort(ports.mappings);
      if (setAside.kind !== kind) throw new ProtocolError('invalid', 'The mapping to restore is of another kind.');
      if (setAside.source === 'user') await ports.mappings.set({ kind, platform: setAside.platform, cw: setAside.cw, cwId: setAside.cwId });
      else await port.reopenConflict(kind, platform);
      changed('mappings');
      return { ok: true as const };
    },
  };
}
