// ESLint flat config (issue 12): the recommended sets, plus the layer rules of
// docs ARCHITECTURE.md section 2 as import boundaries per folder.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Routes and components call the domain; they never reach the database, its drivers or zod themselves. */
const routeAndComponentBans = [
  // `#` starts a comment in these gitignore-style patterns, hence the backslash.
  {
    group: ["\\#db", "\\#db/*", "~/../db", "~/../db/*", "../../db", "../../db/*", "../../../db", "../../../db/*"],
    message: "Routes and components never import db/: call app/domain.",
  },
  { group: ["drizzle-orm", "drizzle-orm/*"], message: "Routes and components never use drizzle: call app/domain." },
  { group: ["postgres", "@electric-sql/pglite", "@electric-sql/pglite/*"], message: "Routes and components never import a database driver." },
  { group: ["zod", "zod/*"], message: "Routes and components never import zod: use the parsers of app/lib/forms.server.ts or the domain's schemas." },
];

/**
 * A page renders twice, on the server and again in the browser as it hydrates;
 * text worked out from the current time can differ between the two ("4 minutes
 * ago" becoming "5 minutes ago"), and React then throws the page's markup away.
 * Loaders read the context's clock and send the time with the data.
 */
const renderClockBans = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: "No Date.now() in routes and components: the loader sends context.app.clock.now() with its data.",
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: "No new Date() in routes and components: the loader sends context.app.clock.now() with its data.",
  },
];

/** Infrastructure knows nothing of the business rules; composition lives in app/runtime.server.ts. */
const libBans = [
  {
    group: ["~/domain", "~/domain/*", "**/domain", "**/domain/*", "../domain/**", "../../domain/**"],
    message: "app/lib never imports app/domain: inject what it needs (see app/runtime.server.ts).",
  },
];

/** The domain throws typed errors; it never builds HTTP responses. */
const domainBans = [{ group: ["@remix-run/*"], message: "The domain never imports Remix: throw a DomainError, the routes answer HTTP." }];

/**
 * The Fetch API's Response is a global, so no import rule sees it: banned by
 * name in app/domain, which covers `new Response(...)`, `Response.json(...)`
 * and `Response.redirect(...)` alike.
 */
const domainGlobalBans = [
  {
    name: "Response",
    message:
      "The domain never builds HTTP responses: throw a DomainError (NotFoundError, ForbiddenError...) or return null; app/lib/domain-responses.server.ts answers it.",
  },
];

export default tseslint.config(
  {
    ignores: ["build/", "public/build/", "node_modules/", "db/migrations/", "tests/.tmp/", "test-results/", "playwright-report/", ".cache/", "storage/"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // A leading underscore is the house's mark for "deliberately unused": a
      // field dropped by destructuring, an argument a signature requires
      // (Express error handlers take four).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.{jsx,tsx}"],
    ...react.configs.flat.recommended,
    ...react.configs.flat["jsx-runtime"],
    plugins: { react },
    rules: { ...react.configs.flat.recommended.rules, ...react.configs.flat["jsx-runtime"].rules },
    languageOptions: { ...react.configs.flat.recommended.languageOptions },
    settings: { react: { version: "detect" } },
  },
  { files: ["**/*.{jsx,tsx}"], ...jsxA11y.flatConfigs.recommended },
  {
    files: ["**/*.{jsx,tsx}"],
    rules: {
      // Explicit roles the house keeps on purpose: a list styled without
      // bullets loses its list semantics in Safari, and table parts restyled
      // as stacked blocks on phones (DataTable, .data-table in app.css) lose
      // theirs in several browsers, so those elements restate their own
      // implicit role. The defaults of both rules are kept otherwise.
      "jsx-a11y/no-redundant-roles": ["error", { nav: ["navigation"], ul: ["list"], ol: ["list"], thead: ["rowgroup"], tbody: ["rowgroup"] }],
      "jsx-a11y/no-interactive-element-to-noninteractive-role": ["error", { tr: ["none", "presentation"], canvas: ["img"], td: ["cell"] }],
    },
  },
  { files: ["**/*.{ts,tsx}"], ...reactHooks.configs.flat.recommended },
  {
    files: ["app/routes/**", "app/components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: routeAndComponentBans }],
      "no-restricted-syntax": ["error", ...renderClockBans],
    },
  },
  {
    files: ["app/lib/**"],
    rules: { "no-restricted-imports": ["error", { patterns: libBans }] },
  },
  // app/runtime.server.ts and server/ are the composition root: they may wire
  // the domain into the infrastructure, so no boundary rule covers them.
  {
    files: ["app/domain/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: domainBans }],
      "no-restricted-globals": ["error", ...domainGlobalBans],
    },
  },
);
