import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";

const Checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "yes", z.boolean());

export const CreatePolicySchema = z.object({
  intent: z.literal("create"),
  title: RequiredText("Name", 80),
  description: z.string().trim().max(300, "Keep the description under 300 characters.").default(""),
  required: Checkbox,
});

export const PolicyActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save_draft"),
    body: RequiredText("The policy text", 100_000),
    changeSummary: z.string().trim().max(300, "Keep the summary under 300 characters.").default(""),
  }),
  z.object({
    intent: z.literal("publish"),
    material: Checkbox,
    // Sent only by the confirmation step, which showed whom a material version gates.
    confirmed: Checkbox,
    draftHash: z.string({ error: "This form is out of date. Reload the page." }).regex(/^[0-9a-f]{64}$/, "This form is out of date. Reload the page."),
  }),
  z.object({ intent: z.literal("discard") }),
  z.object({ intent: z.literal("set_required"), required: Checkbox }),
]);

export const AcceptPolicySchema = z.object({
  versionId: z.uuid("This form is out of date. Reload the page."),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, "This form is out of date. Reload the page."),
  confirm: z.literal("on", { error: "Tick the box to confirm you have read and accept this policy." }),
  redirectTo: z.string().max(2000).optional(),
});

export const RemindSchema = z.object({
  intent: z.literal("remind"),
  number: z.coerce.number().int().positive(),
});
