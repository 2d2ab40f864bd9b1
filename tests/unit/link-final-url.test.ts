import { describe, expect, it } from "vitest";
import { exampleFinalUrl, finalUrl, prepareDestination } from "~/domain/links/final-url";

const UTM = { utmSource: "lumen-blog", utmMedium: "website_blog", utmCampaign: "spring-lamps", utmContent: "spring-lamps-v2" };
const CONVENTION = "utm_source=lumen-blog&utm_medium=website_blog&utm_campaign=spring-lamps&utm_content=spring-lamps-v2";

describe("the final URL", () => {
  it("is the destination with the UTM convention and the click id appended", () => {
    const prepared = prepareDestination("https://shop.example/lamps", UTM, "cb_click");
    expect(finalUrl(prepared, "AbCdEfGhIjKlMnOp")).toBe(`https://shop.example/lamps?${CONVENTION}&cb_click=AbCdEfGhIjKlMnOp`);
  });

  it("replaces the destination's own UTM values and click id, keeps its other parameters in their order, and its fragment last", () => {
    const prepared = prepareDestination(
      "https://shop.example/lamps?utm_source=someone&colour=warm&cb_click=stale&utm_medium=x&size=e27&utm_campaign=old&utm_content=y#reviews",
      UTM,
      "cb_click",
    );
    const url = finalUrl(prepared, "AbCdEfGhIjKlMnOp");
    expect(url).toBe(`https://shop.example/lamps?colour=warm&size=e27&${CONVENTION}&cb_click=AbCdEfGhIjKlMnOp#reviews`);
    const params = new URL(url).searchParams;
    for (const name of ["utm_source", "utm_medium", "utm_campaign", "utm_content", "cb_click"]) expect(params.getAll(name)).toHaveLength(1);
  });

  it("uses the program's click id parameter, and then leaves a parameter named like the default alone", () => {
    const url = finalUrl(prepareDestination("https://shop.example/?cb_click=kept&ref=1", UTM, "partner_click"), "AbCdEfGhIjKlMnOp");
    expect(url).toBe(`https://shop.example/?cb_click=kept&ref=1&${CONVENTION}&partner_click=AbCdEfGhIjKlMnOp`);
  });

  it("encodes what the UTM values hold, so no value can add a parameter", () => {
    const url = finalUrl(prepareDestination("https://shop.example/", { ...UTM, utmContent: "a&cb_click=evil#x y" }, "cb_click"), "AbCdEfGhIjKlMnOp");
    const params = new URL(url).searchParams;
    expect(params.get("utm_content")).toBe("a&cb_click=evil#x y");
    expect(params.getAll("cb_click")).toEqual(["AbCdEfGhIjKlMnOp"]);
    expect(new URL(url).hash).toBe("");
  });

  it("keeps the destination's host and path as the URL parser normalises them", () => {
    const url = finalUrl(prepareDestination("https://Shop.Example:443/a/../lamps?x=1", UTM, "cb_click"), "AbCdEfGhIjKlMnOp");
    expect(url.startsWith("https://shop.example/lamps?x=1&")).toBe(true);
  });

  it("shows partners the convention with a placeholder for the click id", () => {
    expect(exampleFinalUrl("https://shop.example/lamps", UTM, "cb_click")).toBe(`https://shop.example/lamps?${CONVENTION}&cb_click=CLICK_ID`);
  });
});
