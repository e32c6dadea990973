import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileImportModel } from './file-import';
import type { FilePreview, FilePreviewEntry } from './file-preview';

/** Problems listed one by one; a file with thousands of bad rows lists these and counts the rest. */
const PROBLEMS_SHOWN = 50;
const AGREEMENTS_SHOWN = 100;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function entryText(f: FilePreviewEntry): string {
  if (f.kind === 'unreadable') return 'not read';
  if (f.kind === 'lines') {
    return `${plural(f.rows, 'invoice line')}${f.months.length ? `, invoice ${f.months.length > 1 ? 'months' : 'month'} ${f.months.join(', ')}` : ''}${f.skipped ? `; ${plural(f.skipped, 'row')} could not be read` : ''}`;
  }
  const partly = f.agreements.filter((a) => a.state === 'partial').length;
  return `${plural(f.rows, 'Addition')} on ${plural(f.agreements.length, 'agreement')}${partly ? ` (${partly} read only in part)` : ', each read whole'}`;
}

function Preview({ model, preview, onDone }: { model: FileImportModel; preview: FilePreview; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [preview]);
  const cwFiles = preview.files.filter((f) => f.kind === 'cw');
  const unreadable = preview.files.filter((f) => f.kind === 'unreadable').length;
  const skipped = preview.files.reduce((n, f) => n + f.skipped, 0);
  const storing = model.state.value === 'storing';
  const stores = preview.captures.length;
  return (
    <div
      class="file-preview"
      data-testid="file-preview"
      role="region"
      aria-labelledby="file-preview-h"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !storing) {
          e.preventDefault();
          model.cancel();
          onDone();
        }
      }}
    >
      <h3 id="file-preview-h" ref={heading} tabIndex={-1}>
        Preview: nothing is stored yet
      </h3>
      <p data-testid="file-preview-summary">
        {preview.lines > 0 && `${plural(preview.lines, 'Platform invoice line')} (${preview.months.join(', ')})`}
        {preview.lines > 0 && cwFiles.length > 0 && '; '}
        {cwFiles.length > 0 &&
          `${plural(cwFiles.reduce((n, f) => n + f.rows, 0), 'ConnectWise Addition')} on ${plural(cwFiles.reduce((n, f) => n + f.agreements.length, 0), 'agreement')}`}
        {preview.lines === 0 && cwFiles.length === 0 && 'Nothing in these files can be stored.'}
      </p>
      <ul class="file-list">
        {preview.files.map((f, i) => (
          <li key={`${i}:${f.name}`} data-testid="file-preview-entry" data-kind={f.kind} data-file={f.name} data-rows={f.rows} data-partial={f.partial ? 'true' : undefined}>
            <strong class="file-name">{f.name}</strong> <span class="muted">{f.what}</span>
            <br />
            {entryText(f)}
            {f.partial && (
              <span class="badge-partial" data-testid="file-partial">
                {' '}
                partial: {f.kind === 'lines' ? 'the page held fewer rows than its grid said' : 'the file says some Additions are missing'}; stored as partial, never as whole
              </span>
            )}
            {f.agreements.length > 0 && (
              <details>
                <summary>Read state per agreement</summary>
                <ul class="file-agreements">
                  {f.agreements.slice(0, AGREEMENTS_SHOWN).map((a) => (
                    <li key={a.id} data-testid="file-agreement" data-agreement-id={a.id} data-state={a.state}>
                      {a.company ? `${a.company} · ` : ''}
                      {a.name}: {plural(a.additions, 'Addition')}, {a.state === 'read' ? 'read whole' : 'read only in part'}
                    </li>
                  ))}
                  {f.agreements.length > AGREEMENTS_SHOWN && <li>…and {f.agreements.length - AGREEMENTS_SHOWN} more</li>}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
      {preview.problems.length > 0 && (
        <div class="file-problems">
          <h4 id="file-problems-h">Problems ({preview.problems.length})</h4>
          <ul aria-labelledby="file-problems-h" data-testid="file-problems">
            {preview.problems.slice(0, PROBLEMS_SHOWN).map((p, i) => (
              <li
                key={i}
                class="warn-text"
                data-testid="file-problem"
                data-file={p.file}
                data-row={p.row === undefined ? undefined : String(p.row)}
                data-field={p.field}
                data-value={p.value}
              >
                {p.message}
              </li>
            ))}
            {preview.problems.length > PROBLEMS_SHOWN && <li>…and {preview.problems.length - PROBLEMS_SHOWN} more</li>}
          </ul>
        </div>
      )}
      {preview.warnings.length > 0 && (
        <ul class="muted" data-testid="file-warnings">
          {preview.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {preview.blocked && (
        <p class="warn-text" data-testid="file-blocked">
          Two files describe the same line differently. Nothing can be stored until only one of them is handed in.
        </p>
      )}
      {!preview.blocked && unreadable > 0 && stores > 0 && (
        <p data-testid="file-unreadable-note">{plural(unreadable, 'file')} could not be read and will not be stored; the others can be.</p>
      )}
      {!preview.blocked && preview.needsSkipConsent && stores > 0 && (
        <label class="consent">
          <input type="checkbox" data-testid="file-skip-consent" checked={model.skipConsent.value} onChange={(e) => (model.skipConsent.value = e.currentTarget.checked)} />{' '}
          Store the readable lines without the {plural(skipped, 'row')} that could not be read (the report lists them as skipped)
        </label>
      )}
      {model.error.value && (
        <p class="error" role="alert" data-testid="file-store-error">
          {model.error.value}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" data-testid="file-store" disabled={!model.canStore()} onClick={() => void model.store().then((r) => r && onDone())}>
          {storing ? 'Storing…' : stores > 1 ? `Store ${stores} captures` : 'Store'}
        </button>
        <button
          type="button"
          data-testid="file-cancel"
          disabled={storing}
          onClick={() => {
            model.cancel();
            onDone();
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * Files handed in to the panel: the Platform's CSV export, a ConnectWise bundle (JSON) or saved
 * Additions pages, by the picker or by dropping them here; a preview of what was read comes
 * before anything is stored.
 */
export function FileImport({ model, disabled }: { model: FileImportModel; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const choose = useRef<HTMLButtonElement>(null);
  const [over, setOver] = useState(false);
  const state = model.state.value;
  const preview = model.preview.value;
  const busy = disabled || state === 'reading' || state === 'storing';
  const read = (files: FileList | null | undefined) => {
    if (files && files.length) void model.read([...files]);
  };
  return (
    <section aria-labelledby="files-h" class="files" data-testid="file-import">
      <h2 id="files-h">From files</h2>
      <div
        class={over ? 'dropzone over' : 'dropzone'}
        data-testid="file-drop"
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!busy) read(e.dataTransfer?.files);
        }}
      >
        <p id="files-help" class="help">
          The Platform’s CSV export (one or more months), a ConnectWise bundle (.json) or saved Additions pages (.html): drop them here or choose them.
          You see what was read before anything is stored.
        </p>
        <button type="button" ref={choose} data-testid="file-choose" aria-describedby="files-help" disabled={busy} onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".csv,.tsv,.txt,.json,.html,.htm"
          data-testid="file-input"
          aria-label="Files to read"
          onChange={(e) => {
            const el = e.currentTarget;
            read(el.files);
            // The same file chosen again must read again.
            el.value = '';
          }}
        />
      </div>
      {state === 'reading' && (
        <p role="status" data-testid="file-reading">
          Reading the files…
        </p>
      )}
      {!preview && model.error.value && (
        <p class="error" role="alert" data-testid="file-error">
          {model.error.value}
        </p>
      )}
      {preview && <Preview model={model} preview={preview} onDone={() => choose.current?.focus()} />}
    </section>
  );
}
