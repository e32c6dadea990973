import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { MESSAGES } from '../../../core/protocol/messages';
import type { Resolution, SignOff } from '../../../core/model';
import { closeAll, finding, report } from '../storage/helpers';
import { storageWorld } from './storage-world';

/*
 * Resolutions are kept per finding, across runs. A signed-off month must still read as it was
 * signed when the same finding is resolved again in a newer run: the sign-off keeps the run's
 * verdicts, and the run is shown (and exported) from them.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

type RunGot = { findings: Array<{ fingerprint: string; resolution?: Resolution }>; signOff?: SignOff };

describe('a signed-off run is frozen as signed', () => {
  it('keeps the verdicts and notes of sign-off time, whatever a newer run then records', async () => {
    const w = await storageWorld();
    const a = finding();
    const b = finding({ lineId: 'L00013', additionId: 9002, message: 'The Platform bills 3 but the Addition has 2.', expected: 3, actual: 2 });
    const [fa, fb] = [findingFingerprint(a), findingFingerprint(b)];
    const october = await w.storage.runs.add({ report: report([a, b]), inputs: { captureIds: [] }, settings: {} });
    await w.call('resolution.set', { fingerprint: fa, runId: october.id, status: 'resolved', note: 'credit note 4411' });

    const signed = await w.call<SignOff>('runs.signOff', { runId: october.id, by: 'Dana Billing', note: 'closed' });
    expect(MESSAGES['runs.signOff'].response.parse(signed)).toEqual(signed);
    expect(signed.resolutions).toEqual([expect.objectContaining({ fingerprint: fa, status: 'resolved', note: 'credit note 4411' })]);
    // Stored with the run, in its sign-off (the runs record; no new store).
    expect((await w.storage.runs.get(october.id)).signOff?.resolutions).toEqual(signed.resolutions);

    // A newer run holds the same findings; the user changes both verdicts there.
    const november = await w.storage.runs.add({ report: report([a, b]), inputs: { captureIds: [] }, settings: {} });
    await w.call('resolution.set', { fingerprint: fa, runId: november.id, status: 'ignored', note: 'reopened in December' });
    await w.call('resolution.set', { fingerprint: fb, runId: november.id, status: 'resolved', note: 'fixed later' });

    const frozen = await w.call<RunGot>('runs.get', { runId: october.id });
    const byFp = new Map(frozen.findings.map((f) => [f.fingerprint, f.resolution]));
    expect(byFp.get(fa)).toMatchObject({ status: 'resolved', note: 'credit note 4411' });
    expect(byFp.get(fb)).toBeUndefined();
    // The newer run shows today's verdicts.
    const live = await w.call<RunGot>('runs.get', { runId: november.id });
    const liveByFp = new Map(live.findings.map((f) => [f.fingerprint, f.resolution]));
    expect(liveByFp.get(fa)).toMatchObject({ status: 'ignored', note: 'reopened in December' });
    expect(liveByFp.get(fb)).toMatchObject({ status: 'resolved', note: 'fixed later' });

    // The export of the signed-off run is the signed state too.
    const exported = await w.call<{ text: string }>('runs.export', { runId: october.id, format: 'json' });
    const json = JSON.parse(exported.text) as { resolutions?: Array<{ fingerprint: string; status: string; note?: string }> };
    expect(json.resolutions?.map((r) => [r.fingerprint, r.status, r.note])).toEqual([[fa, 'resolved', 'credit note 4411']]);

    // Signing again changes nothing: the first sign-off and its verdicts stay.
    const again = await w.call<SignOff>('runs.signOff', { runId: october.id, by: 'Someone Else' });
    expect(again).toEqual(signed);
  });

  it('shows a sign-off stored before verdicts were kept with it from the verdicts as they stand', async () => {
    const w = await storageWorld();
    const a = finding();
    const fa = findingFingerprint(a);
    const run = await w.storage.runs.add({ report: report([a]), inputs: { captureIds: [] }, settings: {} });
    await w.call('resolution.set', { fingerprint: fa, runId: run.id, status: 'resolved', note: 'done' });
    // An older build's sign-off: who and when only.
    await w.storage.runs.signOff(run.id, 'Ada');
    const got = await w.call<RunGot>('runs.get', { runId: run.id });
    expect(got.signOff?.resolutions).toBeUndefined();
    expect(got.findings[0]?.resolution).toMatchObject({ status: 'resolved', note: 'done' });
  });
});
