import { FileImport, ProtocolError, type FileCapture } from '../../protocol/messages';
import type { CaptureSummary } from '../../model';
import type { Handlers } from '../../protocol/router';
import { pageNames } from '../bundles';
import { captureSummary, learnMappings, type ServiceContext } from './context';

/** Imports whose pieces arrived but were not stored yet; the oldest goes when more are open. */
const OPEN_IMPORTS = 4;

/**
 * Files the user handed in to the panel: the panel reads them with the engine's readers and shows
 * a preview; on *Store* it sends what it read as JSON in pieces (`files.part`), and `files.store`
 * validates the whole and stores each entry as a capture, like a page capture or an API pull.
 */
export function fileHandlers(ctx: ServiceContext): Handlers {
  const { ports, changed } = ctx;
  const pending = new Map<string, string[]>();

  async function store(entry: FileCapture): Promise<CaptureSummary> {
    if (entry.kind === 'lines') {
      const name = entry.files.join(', ');
      const meta = await ports.captures.addLines({ lines: entry.lines, skippedRows: entry.skipped, file: name, fileKind: 'lines', complete: entry.complete });
      if (await learnMappings(ports, entry.lines)) changed('mappings');
      return captureSummary(meta);
    }
    const { bundle } = entry;
    const meta = await ports.captures.addBundle({
      bundle,
      file: entry.file,
      fileKind: entry.from === 'page' ? 'page' : 'bundle',
      // A bundle file lists many agreements and is named by the file alone.
      ...(entry.from === 'page' ? pageNames(bundle) : {}),
      // A bundle file is its own scope: importing it again replaces it, and it never replaces a pull.
      ...(entry.from === 'file' ? { scope: `file|${entry.file}` } : {}),
    });
    return captureSummary(meta);
  }

  return {
    'files.part': ({ importId, index, text }) => {
      let parts = pending.get(importId);
      if (!parts) {
        parts = [];
        pending.set(importId, parts);
        for (const id of [...pending.keys()].slice(0, Math.max(0, pending.size - OPEN_IMPORTS))) pending.delete(id);
      }
      if (index !== parts.length) {
        pending.delete(importId);
        throw new ProtocolError('invalid', `piece ${index} of the file import came out of order (expected ${parts.length}); store the files again`);
      }
      parts.push(text);
      return { ok: true as const };
    },
    'files.store': async ({ importId, parts }) => {
      const pieces = pending.get(importId);
      pending.delete(importId);
      if (!pieces || pieces.length !== parts) {
        throw new ProtocolError('invalid', `the file import arrived incomplete (${pieces?.length ?? 0} of ${parts} pieces); store the files again`);
      }
      let data: unknown;
      try {
        data = JSON.parse(pieces.join(''));
      } catch {
        throw new ProtocolError('invalid', 'the file import did not arrive as valid JSON; store the files again');
      }
      const parsed = FileImport.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ProtocolError('invalid', `the file import is not valid at ${issue?.path.join('.') || 'its top'}: ${issue?.message ?? 'unknown problem'}`);
      }
      const stored: CaptureSummary[] = [];
      for (const entry of parsed.data.captures) stored.push(await store(entry));
      changed('captures');
      return stored;
    },
    'files.discard': ({ importId }) => {
      pending.delete(importId);
      return { ok: true as const };
    },
  };
}
