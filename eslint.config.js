// Lint: typescript-eslint's recommended rules, React hooks rules in web/, and the boundaries of
// STYLE.md §2: shared imports nothing from web or relay, no node:* module and no DOM global.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "test-results/**", "data/**", "tests/e2e/screenshots/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.property.name='only']", message: "No focused tests." }],
    },
  },
  { files: ["scripts/**/*.mjs", "*.config.{js,ts}"], languageOptions: { globals: globals.node } },
  {
    files: ["shared/src/**/*.ts"],
    ignores: ["shared/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@crosswalk/relay", "@crosswalk/web", "**/relay/**", "**/web/**"], message: "Do not import relay or web code from shared." },
            { group: ["node:*"], message: "shared runs in the browser too: no node:* modules." },
          ],
        },
      ],
      "no-restricted-globals": ["error", "window", "document", "navigator", "localStorage", "process", "Buffer"],
    },
  },
  {
    files: ["relay/src/**/*.ts", "web/src/**/*.{ts,tsx}", "tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@crosswalk/shared/src/*", "**/shared/src/**"], message: 'Import from "@crosswalk/shared" (its one front door).' }] }],
    },
  },
  {
    files: ["web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
