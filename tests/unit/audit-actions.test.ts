import { describe, expect, it } from "vitest";
import { auditDetails, auditDetailsText, detailLabel } from "~/domain/audit/details";
import { AUDIT_ACTIONS, auditActionLabel, auditActionLabelsWith, auditActionsAbout, auditActionsByArea, type AuditAction } from "~/lib/audit-actions";
import type { AuditInput } from "~/lib/audit.server";

// That every action recorded anywhere is in the catalogue is checked by the
// type checker (npm run typecheck): AuditInput.action is AuditAction, so a
// recordAudit call with an uncatalogued string does not compile. This line
// proves the type still refuses one; if it ever accepted it, tsc would fail
// on the unused directive.
// @ts-expect-error "claim.deleted" is not in the catalogue
const uncatalogued: AuditInput["action"] = "claim.deleted";
void uncatalogued;

describe("audit action catalogue", () => {
  it("gives each action a distinct label, so the action filter never offers two alike", () => {
    const labels = Object.values(AUDIT_ACTIONS).map((entry) => entry.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("groups every action under exactly one area, in catalogue order", () => {
    const grouped = auditActionsByArea().flatMap((group) => group.actions.map((a) => a.action));
    expect(grouped.sort()).toEqual((Object.keys(AUDIT_ACTIONS) as AuditAction[]).sort());
    expect(auditActionsByArea().every((group) => group.actions.length > 0)).toBe(true);
  });

  it("labels stored actions it does not list with their raw name", () => {
    expect(auditActionLabel("application.approved")).toBe("Application approved");
    expect(auditActionLabel("test.unkeyed")).toBe("test.unkeyed");
    const history = auditActionLabelsWith({ "claim.created": "Written" });
    expect([history("claim.created"), history("claim.approved"), history("test.unkeyed")]).toEqual([
      "Written",
      auditActionLabel("claim.approved"),
      "test.unkeyed",
    ]);
  });

  it("lists the email preference change among the actions about a user, in the sign-in and accounts area", () => {
    expect(auditActionsAbout("user")).toContain("notification.email_preferences_updated");
    expect(AUDIT_ACTIONS["notification.email_preferences_updated"]).toEqual({ label: "Email preferences changed", area: "access", subject: "user" });
  });

  it("finds the actions about a kind of subject", () => {
    expect(auditActionsAbout("partner_organisation")).toEqual([
      "partner.created",
      "partner.activated",
      "partner.invitation_resent",
      "partner.invitation_revoked",
      "partner.ownership_transferred",
      "partner.terms_changed",
      "partner.first_link_live",
      "partner.tracking_validated",
      "partner.paused",
      "partner.resumed",
      "partner.terminated",
      "partner.renewal_reminded",
      "performance.exported",
    ]);
    expect(auditActionsAbout("incident")).toEqual([
      "incident.opened",
      "incident.note_added",
      "incident.partner_replied",
      "incident.status_changed",
      "incident.owner_changed",
      "incident.severity_changed",
      "incident.shared",
      "incident.unshared",
      "incident.object_linked",
      "incident.partner_status_recorded",
    ]);
    expect(auditActionsAbout("webhook_endpoint")).toEqual([
      "webhook.created",
      "webhook.updated",
      "webhook.disabled",
      "webhook.auto_disabled",
      "webhook.enabled",
      "webhook.secret_rotated",
      "webhook.deleted",
      "webhook.redelivered",
      "webhook.test_sent",
    ]);
  });
});

describe("audit event details", () => {
  it("labels keys for people", () => {
    expect(detailLabel("unkeyedHeadId")).toBe("Unkeyed head id");
    expect(detailLabel("partner_org")).toBe("Partner org");
    expect(detailLabel("userAgent")).toBe("User agent");
  });

  it("reads changes as from → to, lists joined, nested objects nested", () => {
    const details = auditDetails({
      changed: { name: { from: "Old", to: "New" }, channels: { from: ["email"], to: ["email", "video"] } },
      required: true,
      tags: [],
      note: null,
      items: [{ format: "png", width: 512 }],
    });
    expect(details).toEqual([
      {
        label: "Changed",
        entries: [
          { label: "Name", value: "Old → New" },
          { label: "Channels", value: "email → email, video" },
        ],
      },
      { label: "Required", value: "yes" },
      { label: "Tags", value: "none" },
      { label: "Note", value: "none" },
      {
        label: "Items",
        entries: [
          {
            label: "1",
            entries: [
              { label: "Format", value: "png" },
              { label: "Width", value: "512" },
            ],
          },
        ],
      },
    ]);
    expect(auditDetailsText(details)).toBe(
      "Changed: (Name: Old → New; Channels: email → email, video); Required: yes; Tags: none; Note: none; Items: (1: (Format: png; Width: 512))",
    );
  });
});
