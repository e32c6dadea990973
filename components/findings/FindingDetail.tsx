import { useEffect, useState } from 'preact/hooks';
import type { LinkBases } from '../api';
import type { FindingsModel } from './model';
import { cwAgreementUrl, cwCompanyUrl, platformUrl } from './links';
import { fieldWords, formatValue, kindLabel, SEVERITY_LABELS } from './words';

/** One finding in full: both systems' values side by side, reason, fix, links and the user's verdict. */
export function FindingDetail({ model, links }: { model: FindingsModel; links?: LinkBases }) {
  const sel = model.selected.value;
  const [note, setNote] = useState('');
  const fp = sel?.item.fp;
  const savedNote = sel?.resolution?.note ?? '';
  useEffect(() => setNote(savedNote), [fp, savedNote]);

  if (!sel) {
    return (
      <section class="detail empty" aria-label="Finding details" data-testid="finding-detail-empty">
        <p>Select a finding to see both systems' values and what to fix.</p>
      </section>
    );
  }
  const { item, resolution } = sel;
  const f = item.finding;
  const words = fieldWords(f.field);
  const agreementId = f.agreementId ?? item.agreementId;
  const companyId = f.companyId ?? item.companyId;
  const agreementLink = agreementId !== undefined ? cwAgreementUrl(links, agreementId) : null;
  const companyLink = companyId !== undefined ? cwCompanyUrl(links, companyId) : null;
  const platformLink = f.lineId || f.organization ? platformUrl(links) : null;
  const status = resolution?.status;

  return (
    <section class="detail" aria-labelledby="detail-title" data-testid="finding-detail" data-fingerprint={fp}>
      <h2 id="detail-title">
        <span class={`sev sev-${f.severity}`}>{SEVERITY_LABELS[f.severity]}</span> {kindLabel(f.kind)}
      </h2>
      <p class="muted">
        {item.companyLabel} · {item.agreementLabel}
        {f.lineId && <> · Platform line {f.lineId}</>}
        {f.additionId !== undefined && <> · Addition {f.additionId}</>}
      </p>
      {words && (
        <table class="sidebyside" data-testid="finding-values">
          <caption class="sr-only">Values in each system</caption>
          <thead>
            <tr><th scope="col">AppXite Platform</th><th scope="col">ConnectWise</th></tr>
          </thead>
          <tbody>
            <tr><td class="muted">{words.platform}</td><td class="muted">{words.connectwise}</td></tr>
            <tr>
              <td data-testid="value-expected">{formatValue(f.expected)}</td>
              <td data-testid="value-actual">{formatValue(f.actual)}</td>
            </tr>
          </tbody>
        </table>
      )}
      <h3>Why</h3>
      <p data-testid="finding-message">{f.message}</p>
      <h3>Fix</h3>
      <p data-testid="finding-fix">{f.fix}</p>
      <p class="links">
        {agreementLink && <a href={agreementLink} target="_blank" rel="noopener noreferrer" data-testid="link-cw-agreement">Open Agreement in ConnectWise</a>}
        {companyLink && <a href={companyLink} target="_blank" rel="noopener noreferrer" data-testid="link-cw-company">Open Company in ConnectWise</a>}
        {platformLink && <a href={platformLink} target="_blank" rel="noopener noreferrer" data-testid="link-platform">Open the Platform</a>}
      </p>
      <div class="actions" role="group" aria-label="Verdict">
        {status ? (
          <button type="button" data-testid="reopen-finding" onClick={() => void model.reopen(item.fp)}>
            Reopen ({status})
          </button>
        ) : (
          <>
            <button type="button" class="primary" data-testid="resolve-finding" onClick={() => void model.resolve(item.fp)}>
              Mark resolved
            </button>
            <button type="button" data-testid="ignore-finding" onClick={() => void model.ignore(item.fp)}>
              Ignore
            </button>
          </>
        )}
      </div>
      <form
        class="note"
        onSubmit={(e) => {
          e.preventDefault();
          void model.setNote(item.fp, note);
        }}
      >
        <label for="finding-note">Note (kept across runs)</label>
        <textarea id="finding-note" data-testid="finding-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit" data-testid="save-note" disabled={note.trim() === savedNote}>Save note</button>
      </form>
    </section>
  );
}
