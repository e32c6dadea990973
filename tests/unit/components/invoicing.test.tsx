// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { InvoicingReadiness } from '../../../components/api';
import { createInvoicingModel, defaultThruDate } from '../../../components/panel/invoicing-model';
import { createPanelModel } from '../../../components/panel/model';
import { PanelApp } from '../../../components/panel/PanelApp';
import { AGREEMENT_INVOICING_STEPS, invoicingReadiness } from '../../../core/invoicing';
import { seriousViolations } from './axe';
import { createMemoryApi, type MemoryApiOptions } from './memory-api';
import { click, mount, q, qa, settle, type } from './render';
import { workedMonth } from '../worked-month';

// The seeded month through the real readiness rules: the panel shows what the engine says.
const { config, lines, bundle } = workedMonth();
const readiness = (thruDate: string): InvoicingReadiness => ({ ...invoicingReadiness({ lines, bundle, config, thruDate }), steps: [...AGREEMENT_INVOICING_STEPS] });

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function openInvoicing(opts: MemoryApiOptions = {}) {
  const mem = createMemoryApi({ page: { screen: 'none' }, month: '2026-11', readiness, ...opts });
  const model = createPanelModel(mem.api, () => new Date('2026-12-05T10:00:00Z'));
  const view = mount(<PanelApp model={model} />);
  cleanup = view.unmount;
  await settle();
  await click(q(view.container, 'nav-invoicing'));
  await settle();
  return { mem, model, root: view.container };
}

describe('Agreement Invoicing readiness view', () => {
  it('opens on the last day of the working month and lists every agreement with how it invoices and what blocks it', async () => {
    const { root, mem } = await openInvoicing();
    const expected = readiness('2026-11-30');
    expect(q(root, 'nav-invoicing')?.getAttribute('aria-current')).toBe('page');
    expect((q(root, 'invoicing-thru') as HTMLInputElement).value).toBe('2026-11-30');
    expect(mem.calls).toContain('invoicing:2026-11-30');

    const rows = qa(root, 'invoicing-row');
    expect(rows.map((r) => Number(r.getAttribute('data-agreement')))).toEqual(expected.agreements.map((a) => a.agreementId));
    for (const a of expected.agreements) {
      const row = rows.find((r) => r.getAttribute('data-agreement') === String(a.agreementId))!;
      expect(row.getAttribute('data-ready')).toBe(a.ready ? 'yes' : 'no');
      expect(row.textContent).toContain(a.agreementName);
      expect(q(row, 'invoicing-mode')?.textContent).toContain(a.invoicing === 'manual' ? 'Finance → Invoicing → Agreement Invoicing' : 'automatically');
      expect(qa(row, 'invoicing-blocker').map((b) => [b.getAttribute('data-code'), b.textContent])).toEqual(a.blockers.map((b) => [b.code, b.message]));
    }
    // Blocked agreements are there and say why, in words.
    expect(qa(root, 'invoicing-blocker').length).toBeGreaterThan(0);
    // One total per currency, none across currencies.
    const totals = [...q(root, 'invoicing-totals')!.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-currency'));
    expect(totals).toEqual(Object.keys(expected.totals).sort());
    expect(totals.length).toBeGreaterThan(1);
    // The guide's steps, in order, with the chosen Thru Date.
    const steps = [...q(root, 'invoicing-steps')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(steps).toHaveLength(AGREEMENT_INVOICING_STEPS.length);
    expect(steps[0]).toBe(AGREEMENT_INVOICING_STEPS[0]);
    expect(steps.some((s) => s?.includes('Thru Date (2026-11-30)'))).toBe(true);
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('checks another Thru Date from a labelled date field and its button', async () => {
    const { root, mem } = await openInvoicing();
    const input = q(root, 'invoicing-thru') as HTMLInputElement;
    expect(root.querySelector(`label[for="${input.id}"]`)?.textContent).toBe('Thru Date');
    const button = q(root, 'invoicing-check') as HTMLButtonElement;
    expect(button.type).toBe('submit');
    expect(button.form).toBe(input.form);
    await type(input, '2026-10-31');
    await click(button);
    await settle();
    expect(mem.calls.at(-1)).toBe('invoicing:2026-10-31');
    const october = readiness('2026-10-31');
    expect(qa(root, 'invoicing-row')).toHaveLength(october.agreements.length);
    expect(q(root, 'invoicing-summary')?.textContent).toContain('through 2026-10-31');
    // Reopening the view keeps the user's date and asks again (captures may have changed meanwhile).
    await click(q(root, 'nav-start'));
    await click(q(root, 'nav-invoicing'));
    await settle();
    expect((q(root, 'invoicing-thru') as HTMLInputElement).value).toBe('2026-10-31');
    expect(mem.calls.filter((c) => c.startsWith('invoicing:'))).toEqual(['invoicing:2026-11-30', 'invoicing:2026-10-31', 'invoicing:2026-10-31']);
  });

  it('says what to do when nothing is captured, when no agreement bills, and when the background refuses', async () => {
    const blank = await openInvoicing({ month: undefined });
    expect((q(blank.root, 'invoicing-thru') as HTMLInputElement).value).toBe('');
    expect(q(blank.root, 'invoicing-empty')?.textContent).toContain('Capture');
    expect(blank.mem.calls.some((c) => c.startsWith('invoicing:'))).toBe(false);
    expect(await seriousViolations(blank.root)).toEqual([]);
    await click(q(blank.root, 'invoicing-check'));
    expect(q(blank.root, 'invoicing-error')?.textContent).toContain('Pick a Thru Date');
    cleanup?.();

    const none = await openInvoicing({ readiness: (thruDate) => ({ thruDate, agreements: [], totals: {}, steps: [...AGREEMENT_INVOICING_STEPS] }) });
    expect(q(none.root, 'invoicing-empty')?.textContent).toContain('Check the Thru Date');
    expect(qa(none.root, 'invoicing-row')).toHaveLength(0);
    expect(q(none.root, 'invoicing-steps')).not.toBeNull();
    cleanup?.();

    const refused = await openInvoicing({ readiness: undefined });
    const error = q(refused.root, 'invoicing-error');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(error?.textContent).toContain('Capture the invoice lines on the Platform first');
    expect(qa(refused.root, 'invoicing-row')).toHaveLength(0);
    expect(await seriousViolations(refused.root)).toEqual([]);
  });
});

describe('invoicing model', () => {
  it('defaults the Thru Date to the month’s last day, leap years included', () => {
    expect(defaultThruDate('2028-02')).toBe('2028-02-29');
    expect(defaultThruDate('2026-11')).toBe('2026-11-30');
    expect(defaultThruDate(null)).toBe('');
    expect(defaultThruDate('November')).toBe('');
  });

  it('keeps only the answer to the last date asked when answers arrive out of order', async () => {
    const pending = new Map<string, (r: InvoicingReadiness) => void>();
    const model = createInvoicingModel(
      { invoicingReadiness: (thruDate) => new Promise((resolve) => pending.set(thruDate, resolve)) },
      (e) => String(e),
    );
    model.setThruDate('2026-10-31');
    const first = model.check();
    model.setThruDate('2026-11-30');
    const second = model.check();
    pending.get('2026-11-30')!(readiness('2026-11-30'));
    await second;
    pending.get('2026-10-31')!(readiness('2026-10-31'));
    await first;
    expect(model.readiness.value?.thruDate).toBe('2026-11-30');
    expect(model.loading.value).toBe(false);
  });
});
