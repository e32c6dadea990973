import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BASE_CHARGE_TYPES, DATE_FORMATS } from '../../core/model';
import { downloadText } from '../ui/download';
import type { ImportPreview } from '../api';
import type { OptionsModel, Region } from './model';
import { REGIONS } from './model';

function ConnectionResultView({ model }: { model: OptionsModel }) {
  const r = model.connection.value;
  if (r === null) return null;
  if (r === 'testing') return <p role="status" data-testid="connection-result" data-state="testing">Testing the connection…</p>;
  return (
    <div class={`result ${r.ok ? 'ok' : 'fail'}`} role="status" data-testid="connection-result" data-state={r.ok ? 'ok' : 'fail'}>
      <p>
        <span class="result-icon" aria-hidden="true">{r.ok ? '✓' : '✗'}</span> <strong>{r.ok ? 'Connected.' : 'Not connected.'}</strong> {r.message}
      </p>
      {r.missingPermissions.length > 0 && (
        <>
          <p>The API member’s Security Role lacks these permissions (setup guide section 10):</p>
          <ul data-testid="missing-permissions">
            {r.missingPermissions.map((p) => <li key={p}>{p}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}

function ConnectionSection({ model }: { model: OptionsModel }) {
  const d = model.draft.value!;
  const keySet = model.settings.value?.cw.hasPrivateKey ?? false;
  return (
    <section aria-labelledby="conn-h">
      <h2 id="conn-h">ConnectWise connection</h2>
      <div class="grid">
        <label for="opt-region">Site</label>
        <select id="opt-region" data-testid="opt-region" value={d.region} onChange={(e) => model.update({ region: e.currentTarget.value as Region })}>
          {REGIONS.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
        </select>
        {d.region === 'custom' && (
          <>
            <label for="opt-host">Host</label>
            <div>
              <input id="opt-host" data-testid="opt-custom-host" placeholder="cw.example.com" value={d.customHost} aria-describedby="opt-host-help" onInput={(e) => model.update({ customHost: e.currentTarget.value })} />
              <p id="opt-host-help" class="help">Saving asks the browser for access to this host.</p>
            </div>
          </>
        )}
        <label for="opt-company">Company ID</label>
        <input id="opt-company" data-testid="opt-company-id" autocomplete="off" value={d.companyId} onInput={(e) => model.update({ companyId: e.currentTarget.value })} />
        <label for="opt-public">Public key</label>
        <input id="opt-public" data-testid="opt-public-key" autocomplete="off" value={d.publicKey} onInput={(e) => model.update({ publicKey: e.currentTarget.value })} />
        <label for="opt-private">Private key</label>
        <div>
          <input
            id="opt-private"
            type="password"
            autocomplete="new-password"
            data-testid="opt-private-key"
            placeholder={keySet ? 'Set — type a new key to replace it' : 'Not set'}
            aria-describedby="opt-private-help"
            value={d.privateKey}
            onInput={(e) => model.update({ privateKey: e.currentTarget.value })}
          />
          <p id="opt-private-help" class="help" data-testid="private-key-state" data-set={keySet ? 'yes' : 'no'}>
            {keySet ? 'A private key is set. It is kept on this device only and never shown.' : 'No private key set.'}{' '}
            {keySet && <button type="button" class="link" onClick={() => void model.clearPrivateKey()}>Remove key</button>}
          </p>
        </div>
        <label for="opt-client">Client ID</label>
        <input id="opt-client" data-testid="opt-client-id" autocomplete="off" value={d.clientId} onInput={(e) => model.update({ clientId: e.currentTarget.value })} />
      </div>
      <button type="button" data-testid="test-connection" disabled={model.connection.value === 'testing'} onClick={() => void model.testConnection()}>
        Test connection
      </button>
      <ConnectionResultView model={model} />
    </section>
  );
}

function ReconcileSection({ model }: { model: OptionsModel }) {
  const d = model.draft.value!;
  return (
    <section aria-labelledby="rec-h">
      <h2 id="rec-h">Reconciliation settings</h2>
      <fieldset>
        <legend>Charge type names (as renamed on the Platform; empty keeps the default)</legend>
        <div class="grid">
          {BASE_CHARGE_TYPES.map((t) => (
            <Fragment key={t}>
              <label for={`ct-${t}`}>{t}</label>
              <input id={`ct-${t}`} data-testid={`opt-charge-${t}`} placeholder={t} value={d.chargeTypeNames[t] ?? ''} onInput={(e) => model.setChargeTypeName(t, e.currentTarget.value)} />
            </Fragment>
          ))}
        </div>
      </fieldset>
      <div class="grid">
        <label for="opt-date">Slashed dates in CSV files</label>
        <select id="opt-date" data-testid="opt-date-format" value={d.dateFormat} onChange={(e) => model.update({ dateFormat: e.currentTarget.value as typeof d.dateFormat })}>
          <option value="">Not used (YYYY-MM-DD or DD.MM.YYYY only)</option>
          {DATE_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <label for="opt-dec">Decimal separator</label>
        <select id="opt-dec" data-testid="opt-decimal" value={d.decimalSeparator} onChange={(e) => model.update({ decimalSeparator: e.currentTarget.value as '.' | ',' })}>
          <option value=".">Point (1,234.50)</option>
          <option value=",">Comma (1.234,50)</option>
        </select>
        <label for="opt-rev">Revenue column holds</label>
        <select id="opt-rev" data-testid="opt-revenue" value={d.revenue} onChange={(e) => model.update({ revenue: e.currentTarget.value as 'total' | 'unit' })}>
          <option value="total">The line total (Unit Price = Revenue / Quantity)</option>
          <option value="unit">The unit price</option>
        </select>
        <label for="opt-agr">Default agreement type</label>
        <input id="opt-agr" data-testid="opt-default-agreement" placeholder="e.g. Microsoft 365 Monthly" value={d.defaultAgreementType} onInput={(e) => model.update({ defaultAgreementType: e.currentTarget.value })} />
        <label for="opt-eff">Recurring Effective Date from</label>
        <select id="opt-eff" data-testid="opt-recurring-date" value={d.recurringEffectiveDate} onChange={(e) => model.update({ recurringEffectiveDate: e.currentTarget.value as 'latest' | 'earliest' })}>
          <option value="latest">The latest synced line</option>
          <option value="earliest">The earliest line</option>
        </select>
      </div>
      <fieldset>
        <legend>Cross-reference custom fields (captions in ConnectWise; empty turns the check off)</legend>
        <div class="grid">
          <label for="opt-cref">Company field for Organization Reference #</label>
          <input id="opt-cref" data-testid="opt-company-ref" placeholder="e.g. ERPId" value={d.companyRefField} onInput={(e) => model.update({ companyRefField: e.currentTarget.value })} />
          <label for="opt-aref">Agreement field for Contract ID</label>
          <input id="opt-aref" data-testid="opt-agreement-ref" value={d.agreementRefField} onInput={(e) => model.update({ agreementRefField: e.currentTarget.value })} />
          <label for="opt-lref">Addition field for the Platform line id</label>
          <input id="opt-lref" data-testid="opt-line-ref" value={d.lineRefField} onInput={(e) => model.update({ lineRefField: e.currentTarget.value })} />
        </div>
      </fieldset>
    </section>
  );
}

function HostsSection({ model }: { model: OptionsModel }) {
  const d = model.draft.value!;
  return (
    <section aria-labelledby="hosts-h">
      <h2 id="hosts-h">Hosts</h2>
      <p class="help">The Platform’s *.rethinkportal.com portals and ConnectWise cloud sites work out of the box. Add a seller’s own Platform domain or an on-premise ConnectWise here, one pattern per line.</p>
      <div class="grid">
        <label for="opt-phosts">Extra Platform hosts</label>
        <textarea id="opt-phosts" data-testid="opt-platform-hosts" rows={3} placeholder="https://portal.example.com/*" value={d.platformHosts} onInput={(e) => model.update({ platformHosts: e.currentTarget.value })} />
        <label for="opt-chosts">Extra ConnectWise hosts</label>
        <textarea id="opt-chosts" data-testid="opt-cw-hosts" rows={3} placeholder="https://cw.example.com/*" value={d.cwHosts} onInput={(e) => model.update({ cwHosts: e.currentTarget.value })} />
      </div>
      <h3>In-page help</h3>
      <label class="check-label">
        <input type="checkbox" data-testid="opt-inpage" checked={d.inPageEnabled} onChange={(e) => model.update({ inPageEnabled: e.currentTarget.checked })} />{' '}
        Show dictionary tooltips and verdict badges on Platform and ConnectWise pages
      </label>
      <div class="grid">
        <label for="opt-offhosts">Keep it off on these hosts</label>
        <textarea id="opt-offhosts" data-testid="opt-off-hosts" rows={2} placeholder="eu.myconnectwise.net" value={d.offHosts} onInput={(e) => model.update({ offHosts: e.currentTarget.value })} />
      </div>
    </section>
  );
}

const STORE_LABELS: Record<string, string> = {
  captures: 'Captures',
  captureData: 'Captured rows (per capture)',
  runs: 'Runs',
  resolutions: 'Finding marks and notes',
  mappings: 'Mappings',
  dictionary: 'Dictionary entries',
};

const CONNECTION_LABELS: Record<string, string> = {
  site: 'Site',
  companyId: 'Company ID',
  publicKey: 'Public key',
  clientId: 'Client ID',
  connection: 'Connection',
};

/** Every change the import makes to the ConnectWise connection, and what it means for the saved key. */
function ConnectionChanges({ connection }: { connection: NonNullable<ImportPreview['changes']>['merge']['connection'] }) {
  if (!connection) return null;
  if (!connection.changes.length) return <p data-testid="import-connection">The ConnectWise connection stays as it is.</p>;
  return (
    <div data-testid="import-connection">
      <p>The import changes the ConnectWise connection:</p>
      <ul>
        {connection.changes.map((c) => (
          <li key={c.field}>
            {CONNECTION_LABELS[c.field] ?? c.field}: {c.from ?? '(none)'} → {c.to ?? '(none)'}
          </li>
        ))}
      </ul>
      {connection.keyDropped && <p class="warning">The saved private key is removed: it belongs to the old connection. Enter it again for the new one.</p>}
    </div>
  );
}

function RecordProblems({ testId, title, items }: { testId: string; title: string; items: { store: string; key: string; message: string }[] }) {
  if (!items.length) return null;
  return (
    <div data-testid={testId}>
      <p>{title}</p>
      <ul>
        {items.map((i) => (
          <li key={`${i.store}/${i.key}`}>
            {STORE_LABELS[i.store] ?? i.store} {i.key}: {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The background's dry run: per store, what merging adds and updates and what replacing deletes. */
function ImportChanges({ changes }: { changes: NonNullable<ImportPreview['changes']> }) {
  const stores = Object.keys(changes.merge.stores);
  const sum = (f: (c: { added: number; updated: number; unchanged: number; removed: number }) => number, p = changes.merge) =>
    Object.values(p.stores).reduce((n, c) => n + f(c), 0);
  const added = sum((c) => c.added);
  const updated = sum((c) => c.updated);
  const removed = sum((c) => c.removed, changes.replace);
  return (
    <>
      <p data-testid="import-summary">
        {added + updated === 0
          ? 'Merging changes nothing: every record in the file is already stored as it is.'
          : `Merging adds ${added} and updates ${updated} record${added + updated === 1 ? '' : 's'}.`}{' '}
        {removed > 0
          ? `Replacing also deletes ${removed} stored record${removed === 1 ? '' : 's'} the file does not have.`
          : 'Replacing deletes nothing more.'}
        {changes.merge.settings && ' The file’s settings (without the private key) are restored too.'}
      </p>
      <ConnectionChanges connection={changes.merge.connection} />
      <RecordProblems
        testId="import-damaged"
        title="Left out of the file when it was exported (damaged):"
        items={changes.merge.damagedInFile ?? []}
      />
      <RecordProblems
        testId="import-unreadable"
        title={
          changes.replace.needsConfirmation
            ? 'Stored records that cannot be read: replacing would delete them, so a replace import asks first.'
            : 'Stored records that cannot be read (kept by a merge):'
        }
        items={changes.merge.unreadable ?? []}
      />
      <RecordProblems testId="import-conflicts" title="Mappings in the file that are not applied:" items={changes.merge.conflicts ?? []} />
      <div class="table-scroll" role="region" aria-label="Changes per store" tabIndex={0}>
        <table data-testid="import-changes">
          <caption>What the import would change</caption>
          <thead>
            <tr>
              <th scope="col">Data</th>
              <th scope="col">New</th>
              <th scope="col">Updated</th>
              <th scope="col">Same</th>
              <th scope="col">Deleted by replace</th>
            </tr>
          </thead>
          <tbody>
            {stores.map((name) => {
              const m = changes.merge.stores[name]!;
              return (
                <tr key={name} data-store={name}>
                  <th scope="row">{STORE_LABELS[name] ?? name}</th>
                  <td>{m.added}</td>
                  <td>{m.updated}</td>
                  <td>{m.unchanged}</td>
                  <td>{changes.replace.stores[name]?.removed ?? 0}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DataSection({ model }: { model: OptionsModel }) {
  const [confirming, setConfirming] = useState(false);
  const preview = model.importPreview.value;
  const busy = model.busy.value;
  return (
    <section aria-labelledby="data-h">
      <h2 id="data-h">Data</h2>
      <p class="help">Backups hold captures, runs, mappings, notes and your dictionary entries, never the private key.</p>
      <div class="row">
        <button
          type="button"
          data-testid="export-data"
          onClick={() =>
            void model.exportData().then((r) => {
              if (r) downloadText(document, r.filename, r.json, 'application/json');
            })
          }
        >
          Export all data
        </button>
        <label class="file">
          <span>Import a backup…</span>
          <input
            type="file"
            accept="application/json,.json"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void file.text().then((t) => model.chooseImport(t));
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      {preview && (
        <div class="preview" data-testid="import-preview" role="region" aria-label="Import preview">
          {preview.ok ? (
            <>
              <p>This file holds:</p>
              <ul>{Object.entries(preview.counts).map(([k, n]) => <li key={k}>{n} {k}</li>)}</ul>
              {preview.changes ? <ImportChanges changes={preview.changes} /> : <p role="status">Working out what the import would change…</p>}
              <button type="button" class="primary" disabled={busy || !preview.changes} data-testid="import-merge" onClick={() => void model.confirmImport('merge')}>Import (merge)</button>
              <button type="button" disabled={busy || !preview.changes} data-testid="import-replace" onClick={() => void model.confirmImport('replace')}>
                {preview.changes?.replace.needsConfirmation
                  ? `Import (replace everything, deleting ${preview.changes.replace.unreadable?.length ?? 0} unreadable record${preview.changes.replace.unreadable?.length === 1 ? '' : 's'})`
                  : 'Import (replace everything)'}
              </button>
            </>
          ) : (
            <ul class="errors">{preview.errors.map((e) => <li key={e}>{e}</li>)}</ul>
          )}
          <button type="button" data-testid="import-cancel" onClick={() => model.cancelImport()}>Cancel</button>
        </div>
      )}
      {confirming ? (
        <div class="danger" role="alertdialog" aria-labelledby="clear-q" data-testid="clear-confirm">
          <p id="clear-q">Delete every capture, run, mapping, note and dictionary entry? This cannot be undone; export first to keep a copy.</p>
          <button type="button" class="danger" data-testid="clear-confirm-yes" disabled={busy} onClick={() => void model.clearAll().then(() => setConfirming(false))}>
            Yes, delete everything
          </button>
          <button type="button" autoFocus onClick={() => setConfirming(false)}>Keep my data</button>
        </div>
      ) : (
        <button type="button" class="danger" data-testid="clear-data" onClick={() => setConfirming(true)}>Clear all data…</button>
      )}
    </section>
  );
}

/** The options page: connection, reconcile settings, hosts and data. */
export function OptionsApp({ model }: { model: OptionsModel }) {
  useEffect(() => {
    void model.load();
  }, [model]);
  const status = model.status.value;
  return (
    <div class="app options">
      <header><h1>CW Reconciler options</h1></header>
      <main>
        {!model.draft.value ? (
          <p role="status">{status?.text ?? 'Loading…'}</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void model.save();
            }}
          >
            <ConnectionSection model={model} />
            <ReconcileSection model={model} />
            <HostsSection model={model} />
            {model.errors.value.length > 0 && (
              <ul class="errors" role="alert" data-testid="options-errors">{model.errors.value.map((e) => <li key={e}>{e}</li>)}</ul>
            )}
            <div class="savebar">
              <button type="submit" class="primary" data-testid="save-options" disabled={model.busy.value}>Save</button>
              {model.dirty.value && <span class="muted">Unsaved changes</span>}
              {status && <span class={`status-${status.kind}`} role="status" data-testid="options-status">{status.text}</span>}
            </div>
          </form>
        )}
        {model.draft.value && <DataSection model={model} />}
      </main>
    </div>
  );
}
