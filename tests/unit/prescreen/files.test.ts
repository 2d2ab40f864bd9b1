import { describe, expect, it } from "vitest";
import { channelRulesFor, DEFAULT_RULES, type FileFacts } from "~/domain/prescreen";
import { check, codes, rules } from "./helpers";

const MB = 1024 * 1024;
const image = (overrides: Partial<FileFacts> = {}): FileFacts => ({
  name: "hero.jpg",
  contentType: "image/jpeg",
  sizeBytes: 2 * MB,
  width: 1080,
  height: 1350,
  ...overrides,
});
const fileCodes = (files: FileFacts[], channel = "organic_social") => codes(check("#ad New blend", { channel, files }));

describe("file rules", () => {
  it("a good image passes", () => {
    expect(fileCodes([image()])).toEqual([]);
  });

  it("refuses a type the channel does not take", () => {
    expect(fileCodes([image({ name: "deck.pdf", contentType: "application/pdf", width: null, height: null, pageCount: 3 })])).toEqual([
      "file_type_not_allowed",
    ]);
    expect(fileCodes([image({ contentType: "image/svg+xml" })], "email")).toEqual(["file_type_not_allowed"]);
  });

  it("refuses a file over the channel's size", () => {
    const [finding] = check("#ad", { channel: "organic_social", files: [image({ sizeBytes: 150 * MB })] });
    expect(finding!.code).toBe("file_too_large");
    expect(finding!.message).toContain("150 MB");
    expect(finding!.message).toContain("100 MB");
  });

  it("refuses an image smaller than the channel's minimum", () => {
    const [finding] = check("#ad", { channel: "organic_social", files: [image({ width: 640, height: 640 })] });
    expect(finding!.code).toBe("image_too_small");
    expect(finding!.message).toContain("640 × 640");
    expect(fileCodes([image({ width: 1080, height: 566 })])).toEqual([]);
  });

  it("refuses a PDF with too many pages", () => {
    const pdf: FileFacts = { name: "menu.pdf", contentType: "application/pdf", sizeBytes: MB, pageCount: 21 };
    expect(fileCodes([pdf], "website_blog")).toEqual(["pdf_too_many_pages"]);
    expect(fileCodes([{ ...pdf, pageCount: 20 }], "website_blog")).toEqual([]);
  });

  it("uses the program's defaults for a channel without its own rules, and the admin's settings over them", () => {
    expect(channelRulesFor(DEFAULT_RULES, "podcast")).toEqual(DEFAULT_RULES.defaultChannelRules);
    const strict = rules({ channelRules: { ...DEFAULT_RULES.channelRules, email: { allowedFileTypes: ["image/png"], maxFileBytes: MB } } });
    expect(codes(check("Hello", { channel: "email", files: [image()] }, strict)).sort()).toEqual(["file_too_large", "file_type_not_allowed"]);
  });
});

describe("copy length", () => {
  it("warns past the channel's limit, pointing at the overflow", () => {
    const copy = `#ad ${"x".repeat(2200)}`;
    const [finding] = check(copy, { channel: "organic_social" });
    expect(finding!.code).toBe("copy_too_long");
    expect(finding!.severity).toBe("warning");
    expect([finding!.start, finding!.end]).toEqual([2200, copy.length]);
  });
});
