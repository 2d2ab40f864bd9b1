// The package ships a bare JSON array and no types.
declare module "disposable-email-domains" {
  const domains: readonly string[];
  export default domains;
}
