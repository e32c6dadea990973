/**
 * Writes PNG screenshots of the look-alike sites over a generated scenario, for the README and
 * for eyeballing layout changes: `npx tsx tests/sandbox/sites/screenshots.ts [outDir]`.
 * Uses the Debian Chromium (CHROMIUM_PATH overrides) through playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { generateScenario } from '../../generator';
import { createSites } from './index';

const SHOTS: [string, string][] = [
  ['platform-invoices', '/platform/mapping/invoices?month=2026-11'],
  ['platform-invoices-badges', '/platform/mapping/invoices?month=2026-11&layout=aggrid&hide=lineId,invoiceNumber,invoiceDate,organizationRef,subscription,contractId,currency,cost'],
  ['platform-organizations', '/platform/mapping/organizations'],
  ['platform-products', '/platform/mapping/products?layout=aria'],
  ['cw-companies', '/cw/companies'],
  ['cw-agreement-additions', ''],
  ['cw-agreement-additions-en-GB', ''],
];

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'demo-output/sandbox-sites');
  mkdirSync(out, { recursive: true });
  const scenario = generateScenario({ seed: 7, faults: 'all' });
  const handle = createSites(scenario);
  const server = createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const busiest = [...scenario.bundle.agreements].sort(
    (a, b) => scenario.bundle.additions.filter((x) => x.agreementId === b.id).length - scenario.bundle.additions.filter((x) => x.agreementId === a.id).length,
  )[0];
  const router = '/cw/v4_6_release/services/system_io/router/openrecord.rails?companyName=sandbox&recordType=AgreementFV';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    for (const [name, path] of SHOTS) {
      const target =
        name === 'cw-agreement-additions'
          ? `${router}&recid=${busiest?.id}&locale=en_US`
          : name === 'cw-agreement-additions-en-GB'
            ? `${router}&recid=${busiest?.id}&locale=en_GB`
            : path;
      await page.goto(origin + target);
      if (name.startsWith('cw-agreement')) await page.waitForSelector('tr.cw-ml-row');
      await page.screenshot({ path: join(out, `${name}.png`) });
      console.log(join(out, `${name}.png`));
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
