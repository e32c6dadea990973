import { describe, expect, it } from 'vitest';
import { extensionRelativePaths } from '../../../core/app/content-scripts';

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
