import { describe, expect, it } from 'vitest';
import { createPanelModel } from '../../../components/panel/model';
import { createMemoryApi } from './memory-api';
import { makeRun } from './fixtures';

describe('focus from a page badge', () => {
  it('opens the results on that finding even when filters hid it', async () => {
    const run = makeRun(40, { id: 'r' });
    const mem = createMemoryApi({ runs: [run] });
    const model = createPanelModel(mem.api);
    await model.load();
    const findings = model.findings.value!;
    const target = findings.items[7]!;
    await findings.resolve(target.fp);
    expect(findings.filtered.value.some((i) => i.key === target.key)).toBe(false);
    model.focus(target.key);
    expect(model.view.value).toBe('results');
    expect(findings.selected.value?.item.key).toBe(target.key);
    expect(findings.filtered.value.some((i) => i.key === target.key)).toBe(true);
  });
});

describe('panel errors', () => {
  it('explains an unreachable background in words, with the next step', async () => {
    const { ProtocolError } = await import('../../../core/protocol/messages');
    const mem = createMemoryApi();
    const model = createPanelModel({ ...mem.api, getStart: () => Promise.reject(new ProtocolError('unavailable', 'Could not establish connection. Receiving end does not exist.')) });
    await model.load();
    expect(model.error.value).toContain('reopen the side panel');
  });
});
