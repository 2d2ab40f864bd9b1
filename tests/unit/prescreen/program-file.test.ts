import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { parseInputLine, parseProgramFile, ProgramFileError, resultLine } from "~/domain/prescreen/program-file";

const FALLBACK = new Date("2030-01-01T00:00:00Z");
const program = {
  now: "2025-06-15T12:00:00Z",
  disclosurePhrases: ["#ad"],
  disclosureChannels: ["instagram"],
  disclosureWithinChars: 100,
  bannedTerms: ["cure", "heal*", { term: "detox", matchWordForms: true }],
  allowedDomains: ["northwindcoffee.com"],
  claims: [
    { id: "a", text: "Free shipping", disclaimers: ["US only."], channels: null, status: "approved" },
    { id: 7, text: "Old", disclaimers: ["x"], channels: ["email"], regions: ["europe"], status: "Retired", expiresAt: "2025-12-31" },
    { id: "b", text: "Timed", disclaimers: [], channels: null, status: "approved", expiresAt: "2025-06-01T08:00:00Z" },
  ],
  somethingElse: { ignored: true },
};

describe("parseProgramFile", () => {
  it("maps the file into the rules, ignoring unknown keys", () => {
    const { rules, now } = parseProgramFile(program, FALLBACK);
    expect(now.toISOString()).toBe("2025-06-15T12:00:00.000Z");
    expect(rules.disclosureChannels).toEqual(["instagram"]);
    expect(rules.disclosureWithinChars).toBe(100);
    expect(rules.bannedTerms).toEqual(["cure", "heal*", { term: "detox", matchWordForms: true }]);
    expect(rules.claims.map((c) => [c.id, c.channels, c.regions, c.status])).toEqual([
      ["a", null, null, "approved"],
      ["7", ["email"], ["europe"], "retired"],
      ["b", null, null, "approved"],
    ]);
    // A bare date is the whole calendar day; a date-time is that instant.
    expect(rules.claims[1]!.expiresAt!.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(rules.claims[2]!.expiresAt!.toISOString()).toBe("2025-06-01T08:00:00.000Z");
    expect(rules).not.toHaveProperty("somethingElse");
  });

  it("reads a date-time without a zone as UTC, and milliseconds", () => {
    expect(parseProgramFile({ now: "2025-06-15 12:00" }, FALLBACK).now.toISOString()).toBe("2025-06-15T12:00:00.000Z");
    expect(parseProgramFile({ now: 0 }, FALLBACK).now.toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("takes the app's defaults for keys left out, including the claim triggers", () => {
    const { rules, now } = parseProgramFile({}, FALLBACK);
    expect(now).toBe(FALLBACK);
    expect(rules.claimTriggers).toEqual(DEFAULT_RULES.claimTriggers);
    expect(rules.disclosurePhrases).toEqual(DEFAULT_RULES.disclosurePhrases);
    expect(rules.claims).toEqual([]);
  });

  it.each([
    [[], "JSON object"],
    [{ disclosurePhrases: "#ad" }, "disclosurePhrases"],
    [{ disclosureWithinChars: "125" }, "disclosureWithinChars"],
    [{ disclosureWithinChars: -1 }, "disclosureWithinChars"],
    [{ now: "yesterday" }, "now"],
    [{ allowedDomains: ["not a domain"] }, "allowedDomains[0]"],
    [{ bannedTerms: [42] }, "bannedTerms[0]"],
    [{ claims: {} }, "claims"],
    [{ claims: [{ text: "x" }] }, "claims[0].id"],
    [{ claims: [{ id: "a", text: "x", channels: "email" }] }, "claims[0].channels"],
    [{ claims: [{ id: "a", text: "x", expiresAt: "soon" }] }, "claims[0].expiresAt"],
    [
      {
        claims: [
          { id: "a", text: "x" },
          { id: "a", text: "y" },
        ],
      },
      "used twice",
    ],
  ])("refuses %j, naming %s", (value, key) => {
    expect(() => parseProgramFile(value, FALLBACK)).toThrow(ProgramFileError);
    expect(() => parseProgramFile(value, FALLBACK)).toThrow(key);
  });
});

describe("parseInputLine", () => {
  it("reads a line, with optional claim ids, destination, regions, partner type and files", () => {
    const parsed = parseInputLine(JSON.stringify({ id: "x1", channel: "instagram", copy: "hi", claimIds: ["a", 7], destinationUrl: null, extra: 1 }), FALLBACK);
    expect(parsed).toEqual({
      ok: true,
      id: "x1",
      input: { copy: "hi", channel: "instagram", claimIds: ["a", "7"], destinationUrl: null, regions: null, partnerType: null, files: [], now: FALLBACK },
    });
    const minimal = parseInputLine('{"id": 3, "channel": "email", "copy": ""}', FALLBACK);
    expect(minimal.ok && minimal.input.claimIds).toEqual([]);
    const full = parseInputLine(
      JSON.stringify({
        id: "f",
        channel: "email",
        copy: "",
        regions: ["europe"],
        partnerType: "creator",
        files: [{ contentType: "image/png", sizeBytes: 10, width: 5, height: 5 }],
      }),
      FALLBACK,
    );
    expect(full.ok && [full.input.regions, full.input.partnerType, full.input.files?.length]).toEqual([["europe"], "creator", 1]);
  });

  it.each([
    "not json",
    "[1, 2]",
    "null",
    '"text"',
    '{"id": "x", "copy": "hi"}',
    '{"id": "x", "channel": "email"}',
    '{"id": {}, "channel": "email", "copy": ""}',
    '{"id": "x", "channel": "email", "copy": "", "claimIds": "a"}',
    '{"id": "x", "channel": "email", "copy": "", "destinationUrl": 5}',
  ])("reports %j as malformed", (line) => {
    const parsed = parseInputLine(line, FALLBACK);
    expect(parsed.ok).toBe(false);
  });

  it("writes exactly the contract's keys", () => {
    const line = resultLine("x", [{ code: "banned_term", severity: "error", message: "m", start: 1, end: 2, extra: true } as never]);
    expect(line).toBe('{"id":"x","findings":[{"code":"banned_term","severity":"error","message":"m","start":1,"end":2}]}');
  });
});
