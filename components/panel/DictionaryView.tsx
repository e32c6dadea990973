import { useState } from 'preact/hooks';
import type { PanelModel } from './model';

/** The Platform ↔ ConnectWise dictionary, with the user's own entries. */
export function DictionaryView({ model }: { model: PanelModel }) {
  const entries = model.dictionary.value;
  const [platform, setPlatform] = useState('');
  const [connectwise, setConnectwise] = useState('');
  const [explanation, setExplanation] = useState('');
  const [kind, setKind] = useState<'entity' | 'field'>('entity');
  const [q, setQ] = useState('');
  const query = q.trim().toLowerCase();
  const shown = query
    ? entries.filter((e) => `${e.platform} ${e.connectwise} ${e.explanation}`.toLowerCase().includes(query))
    : entries;
  return (
    <div class="dictionary" data-testid="dictionary-view">
      <h2>Dictionary</h2>
      <label class="search">
        <span class="sr-only">Search the dictionary</span>
        <input type="search" placeholder="Search terms…" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
      <dl class="terms">
        {shown.map((e) => (
          <div key={e.id} class="term" data-testid="dictionary-entry">
            <dt>
              {e.platform} <span aria-hidden="true">→</span><span class="sr-only"> in ConnectWise is </span> {e.connectwise}
              {e.origin === 'user' && <span class="badge">yours</span>}
            </dt>
            <dd>
              {e.explanation}
              {e.guideSection && <span class="muted"> (guide {e.guideSection})</span>}
              {e.origin === 'user' && (
                <button type="button" class="link" aria-label={`Remove ${e.platform}`} onClick={() => void model.deleteDictionaryEntry(e.id)}>
                  Remove
                </button>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {shown.length === 0 && <p>No term matches. Add your own below.</p>}
      <form
        class="dict-form"
        data-testid="dictionary-form"
        onSubmit={(e) => {
          e.preventDefault();
          void model.addDictionaryEntry({ platform, connectwise, explanation, kind }).then(() => {
            if (!model.error.value) {
              setPlatform('');
              setConnectwise('');
              setExplanation('');
            }
          });
        }}
      >
        <h3>Add a term</h3>
        <label>Platform term<input required value={platform} onInput={(e) => setPlatform(e.currentTarget.value)} /></label>
        <label>ConnectWise term<input required value={connectwise} onInput={(e) => setConnectwise(e.currentTarget.value)} /></label>
        <label>Explanation<input value={explanation} maxLength={500} onInput={(e) => setExplanation(e.currentTarget.value)} /></label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'entity' | 'field')}>
            <option value="entity">A thing (Organization, Offer…)</option>
            <option value="field">A field (Charge Start Date…)</option>
          </select>
        </label>
        <button type="submit" class="primary">Add</button>
      </form>
    </div>
  );
}
