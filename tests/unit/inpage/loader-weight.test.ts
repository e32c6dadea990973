import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What the loader (the part of the content script every page runs at load) brings with it. The
 * page pays for compiling and running all of it on every load, so the grid readers, the in-page
 * help and the schema library stay in the in-page code (entrypoints/inpage.ts), which the
 * background runs only when it is needed.
 */
async function modulesOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    logLevel: 'silent',
    // WXT's own runtime (context, browser namespace) is the same whatever we write.
    external: ['wxt', 'wxt/*'],
    // The highlight style sheet goes to the manifest, not into the script.
    loader: { '.css': 'empty' },
  });
  return Object.keys(result.metafile.inputs);
}

describe('the content script loader', () => {
  it('carries neither zod, nor the grid readers, nor the in-page help', async () => {
    const loader = await modulesOf('entrypoints/connectwise.content/index.ts');
    expect(loader).toContain('components/inpage/loader.ts');
    const heavy = loader.filter((m) => /node_modules\/zod\/|core\/ingest\/page\.ts|core\/app\/content-agent\.ts|components\/inpage\/(index|badges|tooltip|content-script)\.ts|core\/dictionary\//.test(m));
    expect(heavy).toEqual([]);
  });

  it('leaves them to the in-page code', async () => {
    const inpage = await modulesOf('entrypoints/inpage.ts');
    for (const m of ['core/app/content-agent.ts', 'components/inpage/index.ts', 'core/ingest/page.ts']) expect(inpage).toContain(m);
    expect(inpage.some((m) => m.includes('node_modules/zod/'))).toBe(false);
  });
});
