// ESLint: TypeScript's recommended rules on the sources, tests and scripts, lines of at most 120
// characters (prettier formats to that width; strings and comments are kept to it by hand).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "out/", "dist/", ".vscode-e2e/", "server/src/generated/", "test/fixtures/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/e2e/suite/**/*.js"],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
  },
  {
    // YAML in expected text is indented with literal spaces, which read better than {2}
    files: ["test/**/*.ts"],
    rules: { "no-regex-spaces": "off" },
  },
  {
    // code that Playwright runs in the browser page
    files: ["test/e2e/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
