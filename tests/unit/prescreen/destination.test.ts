import { describe, expect, it } from "vitest";
import { isAllowedHost, normaliseAllowedDomain } from "~/domain/prescreen";
import { checkDestination } from "~/domain/prescreen/destination";
import { OPEN_REDIRECT_VECTORS } from "../../fixtures/open-redirect-vectors";
import { check, codes } from "./helpers";

const ALLOWED = ["northwindcoffee.com", "northwind.co.uk"];
const refused = (url: string) => checkDestination(url, ALLOWED);

describe("destination_not_allowed", () => {
  it.each([
    "https://northwindcoffee.com",
    "https://northwindcoffee.com/shop/cold-brew?utm_source=sam&utm_medium=social#top",
    "https://shop.northwindcoffee.com/p/harvest",
    "https://www.northwind.co.uk/offers",
    "HTTPS://NorthwindCoffee.COM/Shop",
    "https://northwindcoffee.com:443/shop",
    "  https://northwindcoffee.com/shop  ",
    "https://northwindcoffee.com/shop?next=https://evil.example",
    "https://northwindcoffee.com/@northwind",
    "https://northwindcoffee.com#@evil.example",
  ])("allows %j", (url) => expect(refused(url)).toBeNull());

  it.each([
    ["http://northwindcoffee.com", "https"],
    ["https://northwindcoffee.com.evil.example", "not on the program's list"],
    ["https://evil.example/northwindcoffee.com", "not on the program's list"],
    ["https://evil.example?u=northwindcoffee.com", "not on the program's list"],
    ["https://notnorthwindcoffee.com", "not on the program's list"],
    ["https://northwindcoffee.co", "not on the program's list"],
    ["https://user@northwindcoffee.com", '"@"'],
    ["https://user@evil.example", '"@"'],
    ["https://northwindcoffee.com@evil.example", '"@"'],
    ["https://northwindcoffee.com:pass@evil.example", '"@"'],
    ["https://evil.example\\@northwindcoffee.com", "backslash"],
    ["https://northwindcоffee.com", "look-alike"], // Cyrillic о
    ["https://ｎorthwindcoffee.com", "look-alike"], // full-width n
    ["https://xn--northwindcffee-8ki.com", "look-alike"],
    ["https://northwindcoffee.com\u3002evil.example", "look-alike"],
    ["https://127.0.0.1", "IP address"],
    ["https://[::1]", "IP address"],
    ["https://0x7f000001/", "IP address"],
    ["https://northwindcoffee.com:8443", ":8443"],
    ["https://northwindcoffee.com:80/", ":80"],
    ["northwindcoffee.com/shop", "https://"],
    ["//northwindcoffee.com/shop", "https://"],
    ["https:northwindcoffee.com", "https://"],
    ["ftp://northwindcoffee.com", "https://"],
    ["javascript:alert(1)", "https://"],
    ["https://north\twindcoffee.com", "hidden characters"],
    ["https://northwindcoffee.com%2eevil.example", "not on the program's list"],
  ])("refuses %j", (url, why) => {
    const finding = refused(url);
    expect(finding?.code).toBe("destination_not_allowed");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(why);
  });

  it.each(OPEN_REDIRECT_VECTORS.map((v) => [JSON.stringify(v.input), v.why, v.input] as const))(
    "refuses the redirect vector %s (%s)",
    (_label, _why, input) => {
      expect(refused(input)?.code).toBe("destination_not_allowed");
    },
  );

  it("refuses everything when nothing is allowlisted, and checks nothing when there is no destination", () => {
    expect(checkDestination("https://northwindcoffee.com", [])?.message).toContain("No destination domains");
    expect(checkDestination(null, ALLOWED)).toBeNull();
    expect(checkDestination(undefined, ALLOWED)).toBeNull();
    expect(checkDestination("", ALLOWED)).toBeNull();
  });

  it("is part of the pre-screen, without a position in the copy", () => {
    const [finding] = check("New blend", { destinationUrl: "http://northwindcoffee.com" });
    expect(codes([finding!])).toEqual(["destination_not_allowed"]);
    expect([finding!.start, finding!.end]).toEqual([null, null]);
  });

  it("reads allowlist entries as the admin types them", () => {
    expect(normaliseAllowedDomain("NorthwindCoffee.com")).toBe("northwindcoffee.com");
    expect(normaliseAllowedDomain("https://shop.northwindcoffee.com/")).toBe("shop.northwindcoffee.com");
    expect(normaliseAllowedDomain("*.northwindcoffee.com")).toBe("northwindcoffee.com");
    expect(normaliseAllowedDomain("café.example")).toBe("xn--caf-dma.example");
    for (const bad of ["", "localhost", "127.0.0.1", "[::1]", "https://"]) expect(normaliseAllowedDomain(bad), bad).toBeNull();
    expect(isAllowedHost("a.b.northwindcoffee.com", ["northwindcoffee.com"])).toBe(true);
    expect(isAllowedHost("northwindcoffee.com.evil", ["northwindcoffee.com"])).toBe(false);
  });

  it("allows a brand's own internationalised domain when it is allowlisted", () => {
    expect(checkDestination("https://café.example/menu", ["café.example"])).toBeNull();
    expect(checkDestination("https://cafe\u0301.example/menu", ["cafe.example"])?.code).toBe("destination_not_allowed");
  });
});
