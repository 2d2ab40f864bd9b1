import { describe, expect, it } from "vitest";
import { checkNewPassword, hashPassword, verifyPassword } from "~/lib/password.server";

describe("password rules", () => {
  it("accepts 8 to 128 characters with no composition rules", () => {
    expect(checkNewPassword("plumtree")).toBeNull();
    expect(checkNewPassword("all lowercase words are fine here")).toBeNull();
    expect(checkNewPassword("a".repeat(7) + "é")).toBeNull(); // 8 characters, counted as characters, not bytes
  });

  it("refuses too short and too long passwords", () => {
    expect(checkNewPassword("short7!")).toMatch(/at least 8/);
    expect(checkNewPassword("x".repeat(129))).toMatch(/at most 128/);
    expect(checkNewPassword("ab3 ".repeat(32))).toBeNull(); // exactly 128
  });

  it("refuses common passwords, whatever their case", () => {
    expect(checkNewPassword("password")).toMatch(/too common/);
    expect(checkNewPassword("Password1")).toMatch(/too common/);
    expect(checkNewPassword("12345678")).toMatch(/too common/);
    expect(checkNewPassword("iloveyou")).toMatch(/too common/);
  });

  it("refuses the account's own email as password", () => {
    expect(checkNewPassword("maria@example.com", { email: "Maria@example.com" })).toMatch(/email/);
  });

  it("hashes with argon2id m=19456,t=2,p=1 and verifies", async () => {
    const hash = await hashPassword("a long enough passphrase");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(hash, "a long enough passphrasE")).toBe(false);
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
  });
});
