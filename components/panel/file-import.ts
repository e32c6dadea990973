import { batch, signal } from '@preact/signals';
import type { ReconcileConfig } from '../../core/model';
import type { ParseHtml } from '../../core/ingest/files';
import type { CaptureSummary, PanelApi } from '../api';
import type { FileInput, FilePreview, previewFiles } from './file-preview';

export type FileImportState = 'idle' | 'reading' | 'preview' | 'storing';

/** A file as the picker or a drop hands it over (a DOM `File`, or anything with its name and bytes). */
export interface PickedFile {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface FileImportDeps {
  /** Pages are parsed into inert documents (no script runs, nothing is fetched). */
  parseHtml: ParseHtml;
  /** Loads the preview builder and its readers; by default on first use, as a chunk of its own. */
  loadPreview?: () => Promise<{ previewFiles: typeof previewFiles }>;
  /** After a store: what was stored. */
  onStored?: (stored: CaptureSummary[]) => void | Promise<void>;
}

/**
 * Files handed in to the panel: read, previewed, then stored or dropped. Nothing is stored
 * before the user presses Store on the preview; Cancel drops everything read.
 */
export function createFileImportModel(api: Pick<PanelApi, 'readerConfig' | 'storeFiles'>, deps: FileImportDeps) {
  const state = signal<FileImportState>('idle');
  const preview = signal<FilePreview | null>(null);
  const error = signal<string | null>(null);
  /** The user agreed to store the readable rows without the bad ones (the CLI's --skip-invalid). */
  const skipConsent = signal(false);
  const stored = signal<CaptureSummary[] | null>(null);
  const load = deps.loadPreview ?? (() => import('./file-preview'));

  const model = {
    state,
    preview,
    error,
    skipConsent,
    stored,

    /** Whether Store may be pressed now. */
    canStore(): boolean {
      const p = preview.value;
      return state.value === 'preview' && !!p && p.captures.length > 0 && !p.blocked && (!p.needsSkipConsent || skipConsent.value);
    },

    async read(files: readonly PickedFile[]): Promise<FilePreview | null> {
      if (files.length === 0 || state.value === 'reading' || state.value === 'storing') return null;
      batch(() => {
        state.value = 'reading';
        error.value = null;
        preview.value = null;
        stored.value = null;
        skipConsent.value = false;
      });
      try {
        const [{ previewFiles }, config] = await Promise.all([load(), api.readerConfig ? api.readerConfig() : Promise.resolve<ReconcileConfig | undefined>(undefined)]);
        const inputs: FileInput[] = [];
        for (const f of files) inputs.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
        const next = previewFiles(inputs, { config, parseHtml: deps.parseHtml });
        batch(() => {
          preview.value = next;
          state.value = 'preview';
        });
        return next;
      } catch (e) {
        batch(() => {
          error.value = `The files could not be read: ${e instanceof Error ? e.message : String(e)}`;
          state.value = 'idle';
        });
        return null;
      }
    },

    async store(): Promise<CaptureSummary[] | null> {
      const p = preview.value;
      if (!p || !model.canStore()) return null;
      if (!api.storeFiles) {
        error.value = 'Storing files is not available here.';
        return null;
      }
      state.value = 'storing';
      error.value = null;
      try {
        const result = await api.storeFiles(p.captures);
        batch(() => {
          stored.value = result;
          preview.value = null;
          skipConsent.value = false;
          state.value = 'idle';
        });
        await deps.onStored?.(result);
        return result;
      } catch (e) {
        batch(() => {
          error.value = `Nothing was stored: ${e instanceof Error ? e.message : String(e)}`;
          state.value = 'preview';
        });
        return null;
      }
    },

    cancel() {
      batch(() => {
        preview.value = null;
        error.value = null;
        skipConsent.value = false;
        state.value = 'idle';
      });
    },
  };
  return model;
}

export type FileImportModel = ReturnType<typeof createFileImportModel>;
