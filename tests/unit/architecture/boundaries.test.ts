import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules in eslint.config.js, proven by planting an import across each boundary in a
 * file that lives where the rule applies and asking ESLint, with the project's own config, what
 * it says. A rule that silently stopped matching would let the planted import through.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const planted: [where: string, file: string, source: string][] = [
  ['the engine importing storage', 'core/reconcile/planted.ts', "import { openDb } from '../../storage/db';\nexport const x = openDb;\n"],
  ['the engine importing a component', 'core/model/planted.ts', "import { PanelApp } from '../../components/panel/PanelApp';\nexport const x = PanelApp;\n"],
  ['the engine importing the application layer', 'core/ingest/planted.ts', "import { createService } from '../app/service';\nexport const x = createService;\n"],
  ['the engine importing the protocol', 'core/report/planted.ts', "import { MESSAGES } from '../protocol/messages';\nexport const x = MESSAGES;\n"],
  ['the engine importing WXT', 'core/rules/planted.ts', "import { browser } from 'wxt/browser';\nexport const x = browser;\n"],
  ['the engine importing an entrypoint', 'core/money/planted.ts', "import background from '../../entrypoints/background';\nexport const x = background;\n"],
  ['a component importing storage', 'components/panel/planted.ts', "import { openDb } from '../../storage/db';\nexport const x = openDb;\n"],
  ['the application layer importing a component', 'core/app/planted.ts', "import { PanelApp } from '../../components/panel/PanelApp';\nexport const x = PanelApp;\n"],
  ['storage importing a component', 'storage/planted.ts', "import { PanelApp } from '../components/panel/PanelApp';\nexport const x = PanelApp;\n"],
  ['an entrypoint importing another entrypoint', 'entrypoints/connectwise.content/planted.ts', "import { x as y } from '../platform.content/index';\nexport const x = y;\n"],
];

describe('lint enforces the layers', () => {
  it.each(planted)('rejects %s', async (_where, file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it('accepts the imports the layers allow', async () => {
    expect(await restricted('core/reconcile/planted.ts', "import { z } from 'zod';\nimport { parseDate } from '../shared/dates';\nexport const x = [z, parseDate];\n")).toEqual([]);
    expect(await restricted('storage/planted.ts', "import { reconcile } from '../core/reconcile';\nexport const x = reconcile;\n")).toEqual([]);
    expect(await restricted('entrypoints/sidepanel/planted.ts', "import { PanelApp } from '../../components/panel/PanelApp';\nexport const x = PanelApp;\n")).toEqual([]);
  });
});
