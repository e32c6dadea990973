import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'demo-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // core/ stays pure: no extension APIs and no ambient clock or DOM (DESIGN §2).
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'browser', 'chrome', 'document', 'window', 'localStorage'],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes the clock as an argument.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes the clock as an argument.' },
      ],
    },
  },

  // Layer boundaries (ARCHITECTURE.md). The engine is everything in core/ except the extension's
  // application layer (core/app, core/protocol): the CLI runs it, so it may reach neither the app
  // layer, storage, components, entrypoints nor anything of WXT or the browser.
  {
    files: ['core/**/*.ts'],
    ignores: ['core/app/**', 'core/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)(storage|components|entrypoints)(/|$)', message: 'The engine imports nothing of storage, components or entrypoints.' },
            { regex: '^(\\.\\./)+(app|protocol)(/|$)', message: 'The engine does not depend on the extension application layer (core/app, core/protocol).' },
            { regex: '^(wxt|@wxt-dev|webextension-polyfill)(/|$)', message: 'The engine runs in Node too: no WXT or browser APIs.' },
          ],
        },
      ],
    },
  },
  {
    // The application layer serves the extension; storage is handed to it, never imported by the
    // engine below it or the components beside it.
    files: ['core/app/**/*.ts', 'core/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)(components|entrypoints)(/|$)', message: 'The application layer imports no components or entrypoints.' }] },
      ],
    },
  },
  {
    // Components receive storage through models and the message protocol; they never open it.
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)(storage|entrypoints)(/|$)', message: 'Components import no storage and no entrypoint.' }] },
      ],
    },
  },
  {
    files: ['storage/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)(components|entrypoints)(/|$)', message: 'Storage imports no components or entrypoints.' }] },
      ],
    },
  },
  {
    // One entrypoint never reaches into another's folder: what two share lives in components/ or core/.
    files: ['entrypoints/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./[^./]', message: 'An entrypoint imports no other entrypoint; move what both need to components/ or core/.' }] },
      ],
    },
  },
);
