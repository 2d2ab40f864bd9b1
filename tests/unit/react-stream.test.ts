import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { withoutUnwrittenBytes } from "~/lib/react-stream.server";

/** What React 18 writes when "”" (3 bytes) does not fit the last 2 bytes of a 2048-byte view. */
function viewsAroundABoundary(): Buffer[] {
  const first = Buffer.alloc(2048);
  first.write(`<p>${"a".repeat(2037)}poster`, "utf8");
  return [first, Buffer.from("”</p>", "utf8")];
}

describe("the HTML stream", () => {
  it("drops the bytes React 18 left unwritten at the end of a view", async () => {
    const out = await text(Readable.from(viewsAroundABoundary()).pipe(withoutUnwrittenBytes()));
    expect(out.endsWith("poster”</p>")).toBe(true);
    expect(out).not.toContain("\u0000");
  });

  it("leaves every other chunk as it is", async () => {
    const short = Buffer.from("ab\u0000", "utf8");
    const out = await text(Readable.from([short, Buffer.from("cd")]).pipe(withoutUnwrittenBytes()));
    expect(out).toBe("ab\u0000cd");
  });
});
