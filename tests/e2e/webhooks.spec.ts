import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// Webhooks (issue 17 §3): the admin allows private receivers, adds an
// endpoint to a receiver on loopback, copies its secret once, sends a test
// event and sees it delivered with a 200 in the log; the receiver verified
// its signature with that secret.

const DESCRIPTION = "Loopback CRM (webhooks journey)";

type Received = { type: string; verified: boolean };

test("the admin adds a webhook endpoint, sees its secret once, sends a test event and sees it delivered, its signature verified by the receiver", async ({
  page,
}) => {
  test.setTimeout(2 * 60_000);
  const errors = watchForPageErrors(page);
  const received: Received[] = [];
  let secret = "";
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ type: (JSON.parse(body) as { type: string }).type, verified });
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  receiver.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => receiver.once("listening", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cobrand`;

  try {
    await test.step("Webhooks is in the navigation; private receivers are allowed for the loopback receiver", async () => {
      await signInAsAdmin(page);
      await page.getByRole("navigation", { name: "Brand team" }).getByRole("link", { name: "Webhooks", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
      const allow = page.getByRole("checkbox", { name: "Allow receivers on private, loopback and link-local addresses" });
      if (!(await allow.isChecked())) {
        await allow.check();
        await page.getByRole("button", { name: "Save setting" }).click();
        await expect(page.getByText("Webhook settings saved")).toBeVisible();
      }
      await expectAccessible(page, "webhooks list");
    });

    await test.step("an empty form is refused with its messages; the endpoint is made and its secret shown once", async () => {
      await page
        .getByRole("link", { name: /New endpoint|Add the first endpoint/ })
        .first()
        .click();
      await expect(page.getByRole("heading", { name: "New webhook endpoint", level: 1 })).toBeVisible();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByLabel("Receiver URL")).toHaveAccessibleDescription(/The receiver's address is required\./);
      await expectAccessible(page, "new webhook endpoint, refused");
      await page.getByLabel("Receiver URL").fill(url);
      await page.getByLabel("Description (optional)").fill(DESCRIPTION);
      await page.getByRole("checkbox", { name: "All partners events" }).check();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByRole("heading", { name: "Your new webhook endpoint", level: 1 })).toBeVisible();
      await expect(page.getByText("Copy the signing secret now: it will not be shown again")).toBeVisible();
      secret = await page.getByRole("textbox", { name: `Signing secret of ${url}` }).inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await expectAccessible(page, "new webhook endpoint, its secret");
      await page.getByRole("link", { name: "I have copied it: open the endpoint" }).click();
      await expect(page.getByRole("heading", { name: url, level: 1 })).toBeVisible();
      expect(await page.content()).not.toContain(secret);
    });

    await test.step("a test event is delivered: the log shows its 200, the receiver verified its signature", async () => {
      await page.getByRole("button", { name: "Send test event" }).click();
      await expect(page.getByText("Test event queued")).toBeVisible();
      const row = page.getByRole("row", { name: /webhook\.test/ });
      await expect(async () => {
        await page.reload();
        await expect(row).toContainText("Delivered", { timeout: 1000 });
      }).toPass({ timeout: 20_000 });
      await expect(row).toContainText("200");
      expect(received).toEqual([{ type: "webhook.test", verified: true }]);
      await expectAccessible(page, "webhook endpoint with its delivery log");
      await row.getByRole("link", { name: "webhook.test" }).click();
      await expect(page.getByRole("region", { name: "Request headers" })).toContainText("webhook-signature: v1,");
      await expectAccessible(page, "webhook delivery");
    });

    await test.step("the pages fit a phone", async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      await expectNoHorizontalOverflow(page);
      await page.goBack();
      // The endpoint's page itself, not the delivery's still on screen while the history step loads.
      await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
      await expectNoHorizontalOverflow(page);
      await signOut(page);
      await page.setViewportSize({ width: 1280, height: 800 });
    });
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
  expect(errors).toEqual([]);
});
