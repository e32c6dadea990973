import { describe, expect, it } from 'vitest';
import { cssAtDocumentStart, extensionRelativePaths, scriptsFor } from '../../../core/app/content-scripts';

describe('manifest content-script paths for the scripting API', () => {
  it('turns Firefox moz-extension addresses into paths from the extension root', () => {
    expect(extensionRelativePaths(['moz-extension://0f1e2d3c-aaaa-bbbb-cccc-1234567890ab/content-scripts/platform.js'])).toEqual(['content-scripts/platform.js']);
  });
  it('keeps Chromium relative paths as they are and drops a leading slash', () => {
    expect(extensionRelativePaths(['content-scripts/connectwise.js', '/content-scripts/connectwise.css'])).toEqual([
      'content-scripts/connectwise.js',
      'content-scripts/connectwise.css',
    ]);
  });
  it('reads an absent list as empty', () => {
    expect(extensionRelativePaths(undefined)).toEqual([]);
  });
});

describe('the Firefox manifest injects the in-page CSS at document_start', () => {
  const cw = { matches: ['https://na.myconnectwise.net/*'], run_at: 'document_idle', css: ['content-scripts/connectwise.css'], js: ['content-scripts/connectwise.js'] };
  const platform = { matches: ['https://*.rethinkportal.com/*'], run_at: 'document_idle', css: ['content-scripts/platform.css'], js: ['content-scripts/platform.js'], all_frames: false };

  it('splits each entry into its CSS at document_start and its scripts at their own run_at, other keys on both', () => {
    expect(cssAtDocumentStart([cw, platform])).toEqual([
      { matches: cw.matches, css: cw.css, run_at: 'document_start' },
      { matches: cw.matches, js: cw.js, run_at: 'document_idle' },
      { matches: platform.matches, css: platform.css, run_at: 'document_start', all_frames: false },
      { matches: platform.matches, js: platform.js, run_at: 'document_idle', all_frames: false },
    ]);
  });
  it('leaves entries without CSS, and entries already at document_start, as they are', () => {
    const jsOnly = { matches: cw.matches, js: cw.js, run_at: 'document_idle' };
    const early = { ...cw, run_at: 'document_start' };
    expect(cssAtDocumentStart([jsOnly, early])).toEqual([jsOnly, early]);
  });
  it('keeps a CSS-only entry whole, moved to document_start', () => {
    expect(cssAtDocumentStart([{ matches: cw.matches, css: cw.css }])).toEqual([{ matches: cw.matches, css: cw.css, run_at: 'document_start' }]);
  });
});

describe('what the manifest runs on one app, for custom hosts', () => {
  const isCw = (matches: readonly string[]) => matches.some((m) => m.includes('myconnectwise'));
  it('gathers the scripts and the CSS of a split Firefox manifest, each with its own run_at', () => {
    const split = cssAtDocumentStart([
      { matches: ['https://*.rethinkportal.com/*'], run_at: 'document_idle', css: ['moz-extension://u/content-scripts/platform.css'], js: ['moz-extension://u/content-scripts/platform.js'] },
      { matches: ['https://na.myconnectwise.net/*'], run_at: 'document_idle', css: ['moz-extension://u/content-scripts/connectwise.css'], js: ['moz-extension://u/content-scripts/connectwise.js'] },
    ]);
    expect(scriptsFor(split, isCw)).toEqual({
      js: ['content-scripts/connectwise.js'],
      jsRunAt: 'document_idle',
      css: ['content-scripts/connectwise.css'],
      cssRunAt: 'document_start',
    });
  });
  it('reads a Chromium entry with both at one run_at', () => {
    const one = [{ matches: ['https://na.myconnectwise.net/*'], run_at: 'document_idle', css: ['content-scripts/connectwise.css'], js: ['content-scripts/connectwise.js'] }];
    expect(scriptsFor(one, isCw)).toEqual({ js: ['content-scripts/connectwise.js'], jsRunAt: 'document_idle', css: ['content-scripts/connectwise.css'], cssRunAt: 'document_idle' });
  });
  it('answers nothing to run for an app the manifest does not name', () => {
    expect(scriptsFor([], isCw)).toEqual({ js: [], jsRunAt: 'document_idle', css: [], cssRunAt: 'document_idle' });
  });
});
