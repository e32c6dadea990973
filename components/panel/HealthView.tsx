import type { HealthStatus } from '../api';
import type { PanelModel } from './model';

const STATUS_TEXT: Record<HealthStatus, string> = { ok: 'OK', warn: 'Check', fail: 'Problem', skip: 'Not checked' };

/** Setup health: each check with its state and what to do about it. */
export function HealthView({ model }: { model: PanelModel }) {
  const checks = model.health.value;
  return (
    <div class="health" data-testid="health-view">
      <div class="row">
        <h2>Setup health</h2>
        <button type="button" data-testid="health-refresh" onClick={() => void model.refreshHealth()}>Check again</button>
      </div>
      {checks === null ? (
        <p role="status">Checking…</p>
      ) : checks.length === 0 ? (
        <p>No checks available. Set the ConnectWise connection in the options to enable them.</p>
      ) : (
        <ul class="checks">
          {checks.map((c) => (
            <li key={c.id} class={`check check-${c.status}`} data-testid="health-check" data-status={c.status}>
              <span class={`badge badge-${c.status}`}>{STATUS_TEXT[c.status]}</span> <strong>{c.title}</strong>
              <p>{c.detail}</p>
              {c.fix && c.status !== 'ok' && <p class="fix">{c.fix}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
