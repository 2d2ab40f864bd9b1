export function PasswordHint() {
  return <>At least 8 characters. Long passphrases are welcome; common passwords are refused.</>;
}
