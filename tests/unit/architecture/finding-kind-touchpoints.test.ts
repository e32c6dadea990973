import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../../core/model';

/**
 * ARCHITECTURE.md lists the files a new finding kind touches. That list is only true if no other
 * file names kinds one by one: a table keyed by every kind, or a kind's name in a string or as an
 * object key. This reads the list from the note, scans every source file outside the tests, and
 * fails on a file that names a kind and is not on it.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const NOTE = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
const SKIP = new Set(['node_modules', 'tests', 'public', 'demo-output', 'test-results']);

/** The section from "**A finding kind.**" to the next bold heading. */
function findingKindSection(note: string): string {
  const start = note.indexOf('**A finding kind.**');
  if (start < 0) throw new Error('ARCHITECTURE.md has no "**A finding kind.**" section');
  const end = note.indexOf('\n**', start + 1);
  return note.slice(start, end < 0 ? undefined : end);
}

/**
 * The numbered steps' files, and the files the paragraph after them names as exceptions. A bare
 * file name (`compare.ts`) is in the folder of the path its step begins with.
 */
function touchpointsOf(section: string): { listed: string[]; exempt: string[] } {
  const [steps = '', rest = ''] = section.split(/\n\n/, 2);
  const listed: string[] = [];
  for (const item of steps.split(/\n(?=\d+\. )/).filter((s) => /^\d+\. /.test(s))) {
    const paths = [...item.matchAll(/`([^`\s]+\.tsx?)`/g)].map((m) => m[1]!);
    const base = paths.find((p) => p.includes('/'));
    for (const p of paths) listed.push(p.includes('/') || !base ? p : join(dirname(base), p));
  }
  const exempt = [...rest.matchAll(/`([^`\s]+\/[^`\s]+\.tsx?)`/g)].map((m) => m[1]!).filter((p) => !p.startsWith('tests/'));
  return { listed, exempt };
}

/** Comments go first: a comment that mentions a kind is not touched when one is added. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const ALT = [...FINDING_KINDS].sort((a, b) => b.length - a.length).join('|');
const LITERAL = new RegExp(`['"\`](${ALT})['"\`]`, 'g');
const KEY = new RegExp(`^\\s*(${ALT})\\s*\\??:`, 'gm');
const EXHAUSTIVE = /Record<\s*(?:FindingKind|Finding\[['"]kind['"]\])|in\s+FindingKind\s*\]/;

/** What in a source names kinds one by one: the kinds it names, and whether a table covers them all. */
function kindsNamedIn(source: string): { kinds: string[]; exhaustive: boolean } {
  const code = withoutComments(source);
  const kinds = new Set([...code.matchAll(LITERAL), ...code.matchAll(KEY)].map((m) => m[1]!));
  return { kinds: [...kinds].sort(), exhaustive: EXHAUSTIVE.test(code) };
}

function sourceFiles(dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('the note’s list of where a finding kind goes', () => {
  const { listed, exempt } = touchpointsOf(findingKindSection(NOTE));

  it('names files that exist, the model’s list of kinds first', () => {
    expect(listed[0]).toBe('core/model/report.ts');
    expect(listed).toContain('core/reconcile/compare.ts');
    for (const path of [...listed, ...exempt]) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it('holds every file outside the tests that names a finding kind', () => {
    const scanned = sourceFiles();
    expect(scanned.length).toBeGreaterThan(100);
    const naming = scanned.filter((f) => {
      const { kinds, exhaustive } = kindsNamedIn(readFileSync(join(ROOT, f), 'utf8'));
      return kinds.length > 0 || exhaustive;
    });
    // The model's own list names them all: the scan sees what it is meant to see.
    expect(naming).toContain('core/model/report.ts');
    expect(naming.filter((f) => !listed.includes(f) && !exempt.includes(f))).toEqual([]);
  });

  it('lets no exception hold a table of every kind (a new kind would touch it)', () => {
    for (const path of exempt) expect(kindsNamedIn(readFileSync(join(ROOT, path), 'utf8')).exhaustive, path).toBe(false);
  });
});

describe('what counts as naming a kind', () => {
  const [a, b] = FINDING_KINDS;
  it('sees a kind in a string, a switch case, an object key and a table keyed by every kind', () => {
    expect(kindsNamedIn(`if (f.kind === '${a}') return 1;`).kinds).toEqual([a]);
    expect(kindsNamedIn(`switch (k) {\n  case "${b}":\n    break;\n}`).kinds).toEqual([b]);
    expect(kindsNamedIn(`const words = {\n  ${a}: 'x',\n};`).kinds).toEqual([a]);
    expect(kindsNamedIn('const RULE: Record<FindingKind, number> = make();').exhaustive).toBe(true);
    expect(kindsNamedIn("const RULE: Partial<Record<Finding['kind'], number>> = {};").exhaustive).toBe(true);
  });

  it('does not count a comment, or a longer name that only starts like a kind', () => {
    expect(kindsNamedIn(`// raises '${a}' when\n/* and \`${b}\` */\nconst x = 1;`)).toEqual({ kinds: [], exhaustive: false });
    expect(kindsNamedIn(`const y = '${a}_extra';`).kinds).toEqual([]);
    expect(kindsNamedIn(`const url = 'https://example.com/${a}';`).kinds).toEqual([]);
  });

  it('reads relative names in a step against the folder of its first path', () => {
    const section = '**A finding kind.**\n1. `core/x/a.ts`: and `b.ts`.\n2. `c/d.ts`.\n\nExcept `scripts/e.ts` (own use).';
    expect(touchpointsOf(section)).toEqual({ listed: ['core/x/a.ts', 'core/x/b.ts', 'c/d.ts'], exempt: ['scripts/e.ts'] });
  });
});
