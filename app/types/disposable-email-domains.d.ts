// The package ships a bare JSON array and no types. Its CommonJS entry (index.js) is imported rather
// than the package name, because the name resolves to index.json, which Node's ESM loader refuses
// without an import attribute, and the server build leaves packages external.
declare module "disposable-email-domains/index.js" {
  const domains: readonly string[];
  export default domains;
}
