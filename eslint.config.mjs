// ESLint: typescript-eslint's type-aware recommended rules over everything we write; formatting is
// Prettier's (eslint-config-prettier turns off the rules it owns). `npm run lint` allows no warnings.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // Examples import the package by name, as users do: they are compiled by the e2e suite against the
  // packed tarball. test/types/fixture.ts is compiled by its test against the built declarations.
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "examples/**",
      "bin/**",
      "sdk/python/**",
      "sdk/go/**",
      "test/types/fixture.ts",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused names are errors, except those marked unused on purpose with a leading underscore.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // A variable set once after closures that read it were made is still a variable.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests, benchmarks and scripts load CommonJS modules by path (the built package, the SDK oracle).
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
