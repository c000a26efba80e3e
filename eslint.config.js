// @ts-check
/**
 * ESLint (flat config): the recommended JavaScript and typescript-eslint rules, with the type-aware
 * ones (promises that nobody awaits, `any` leaking out of JSON and libraries, needless assertions).
 * Formatting is Prettier's job (`prettier --check .` in `npm run lint`), so eslint-config-prettier
 * switches off every rule that would argue with it.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'reports/', '.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // As tsc's noUnusedLocals/noUnusedParameters: a leading underscore marks a binding kept on purpose,
      // and a property destructured beside `...rest` is how the code leaves a field out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any(String), expect.stringMatching(...)) are typed `any` on purpose,
    // so every object that a test matches against would need a cast. Only this one rule, only in tests.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Plain JavaScript: this file and the chat page's script, which no tsconfig covers.
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS preloads (node --require) have only require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/channels/web/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, WebChat: 'readonly' } },
  },
  prettier,
);
