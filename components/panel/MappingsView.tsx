import { useState } from 'preact/hooks';
import type { Mapping, MappingKind } from '../api';
import type { PanelModel } from './model';

const KIND_WORDS: Record<MappingKind, { platform: string; cw: string }> = {
  organization: { platform: 'Organization', cw: 'Company' },
  offer: { platform: 'Offer', cw: 'Product ID' },
  contract: { platform: 'Contract', cw: 'Agreement' },
};

function MappingForm({ model, initial, onDone }: { model: PanelModel; initial?: Mapping; onDone: () => void }) {
  const [kind, setKind] = useState<MappingKind>(initial?.kind ?? 'organization');
  const [from, setFrom] = useState(initial?.platform ?? '');
  const [to, setTo] = useState(initial?.cw ?? '');
  const words = KIND_WORDS[kind];
  return (
    <form
      class="mapping-form"
      data-testid="mapping-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!from.trim() || !to.trim()) return;
        void model.saveMapping({ kind, platform: from.trim(), cw: to.trim(), cwId: initial?.cw === to ? initial.cwId : undefined }).then(onDone);
      }}
    >
      <label>
        Kind
        <select value={kind} disabled={!!initial} onChange={(e) => setKind(e.currentTarget.value as MappingKind)}>
          {(Object.keys(KIND_WORDS) as MappingKind[]).map((k) => (
            <option key={k} value={k}>{KIND_WORDS[k].platform} → {KIND_WORDS[k].cw}</option>
          ))}
        </select>
      </label>
      <label>
        Platform {words.platform}
        <input required readOnly={!!initial} value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </label>
      <label>
        ConnectWise {words.cw}
        <input required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">Save</button>
      <button type="button" onClick={onDone}>Cancel</button>
    </form>
  );
}

/** Platform → ConnectWise mappings: where each came from, conflicts first, edit and remove. */
export function MappingsView({ model }: { model: PanelModel }) {
  const entries = model.mappings.value;
  const [editing, setEditing] = useState<Mapping | 'new' | null>(null);
  const [filter, setFilter] = useState('');
  const conflicts = model.mappingConflicts.value;
  const settled = model.settledConflict.value;
  const q = filter.trim().toLowerCase();
  const shown = q ? entries.filter((e) => `${e.platform} ${e.cw}`.toLowerCase().includes(q)) : entries;
  return (
    <div class="mappings" data-testid="mappings-view">
      <div class="row">
        <h2>Mappings</h2>
        <button type="button" data-testid="mapping-add" onClick={() => setEditing('new')}>Add mapping</button>
      </div>
      {editing && <MappingForm model={model} initial={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      {settled && (
        <p class="notice" role="status" data-testid="conflict-settled">
          Kept “{settled.kept.cw}” for {settled.kept.platform}; {settled.setAside.source === 'user' ? 'your mapping' : 'the captured one'} “{settled.setAside.cw}” was set aside.{' '}
          <button type="button" class="link" data-testid="conflict-undo" onClick={() => void model.undoConflict()}>Undo</button>
        </p>
      )}
      {conflicts.length > 0 && (
        <section class="conflicts" aria-labelledby="conflicts-h" data-testid="mapping-conflicts">
          <h3 id="conflicts-h">Conflicts</h3>
          <p class="muted">Line counts are the Platform lines in the current captures that pair the name with each side.</p>
          <ul>
            {conflicts.map((c) => (
              <li key={`${c.kind}|${c.name}`} data-testid="mapping-conflict">
                {KIND_WORDS[c.kind].platform} “{c.name}” maps to {c.candidates.map((e) => `“${e.name}” (${e.source === 'user' ? 'yours' : 'captured'}, ${e.count} ${e.count === 1 ? 'line' : 'lines'})`).join(' and ')}.
                <span class="row">
                  {c.candidates.map((e) => (
                    <button
                      type="button"
                      key={e.source}
                      data-testid={`conflict-keep-${e.source}`}
                      aria-label={`Keep “${e.name}” for ${c.name}`}
                      onClick={() => void model.resolveConflict(c, e.source)}
                    >
                      Keep “{e.name}”
                    </button>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <label class="search">
        <span class="sr-only">Search mappings</span>
        <input type="search" placeholder="Search mappings…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      {entries.length === 0 ? (
        <p data-testid="mappings-empty">No mappings yet. They are learned when you capture pages, or add one here.</p>
      ) : (
        <table class="mappings-table">
          <caption class="sr-only">Mappings from Platform names to ConnectWise records</caption>
          <thead>
            <tr><th scope="col">Platform</th><th scope="col">ConnectWise</th><th scope="col">Source</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {shown.slice(0, 500).map((e) => (
              <tr key={`${e.kind}|${e.platform}|${e.source}`} data-testid="mapping-row">
                <td><span class="muted">{KIND_WORDS[e.kind].platform}</span> {e.platform}</td>
                <td><span class="muted">{KIND_WORDS[e.kind].cw}</span> {e.cw}</td>
                <td>{e.source === 'user' ? 'You' : 'Captured'}</td>
                <td>
                  <button type="button" aria-label={`Edit mapping for ${e.platform}`} onClick={() => setEditing(e)}>Edit</button>
                  <button type="button" aria-label={`Remove mapping for ${e.platform}`} onClick={() => void model.deleteMapping(e)}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > 500 && <p class="muted">Showing 500 of {shown.length}; search to narrow.</p>}
    </div>
  );
}
