import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "~/lib/serve-object.server";

describe("attachmentDisposition", () => {
  it("forces a download and keeps quotes, backslashes and line breaks inside the quoted name", () => {
    expect(attachmentDisposition('Brand "kit"\r\nSet-Cookie: x=1.pdf')).toBe('attachment; filename="Brand \\"kit\\"Set-Cookie: x=1.pdf"');
    expect(attachmentDisposition("a\\b.pdf")).toBe('attachment; filename="a\\\\b.pdf"');
  });

  it("gives names outside Latin-1 an ASCII fallback and the RFC 5987 UTF-8 form", () => {
    expect(attachmentDisposition("Łódź brand.zip")).toBe("attachment; filename=\"?ód? brand.zip\"; filename*=UTF-8''%C5%81%C3%B3d%C5%BA%20brand.zip");
  });

  it("names an empty or all-control-character title 'download'", () => {
    expect(attachmentDisposition(" \u0000\u0007 ")).toBe('attachment; filename="download"');
  });
});
