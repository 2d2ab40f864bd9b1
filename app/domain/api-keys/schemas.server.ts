import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";
import { manyOf } from "../settings/schemas.server";
import { API_KEY_LIMITS, API_KEY_SCOPES } from "./catalog";

/** The "New key" form. Whether the expiry date has passed is the domain's call (its clock): createApiKey. */
export const NewApiKeySchema = z.object({
  name: RequiredText("A name", API_KEY_LIMITS.nameMax),
  scopes: manyOf(API_KEY_SCOPES, "Choose scopes from the list.").refine((scopes) => scopes.length > 0, "Choose at least one scope."),
  expiresOn: z
    .string()
    .trim()
    .max(10, "Enter the expiry as a date.")
    .optional()
    .transform((value) => (value ? value : null))
    .pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the expiry as a date.")
        .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), "Enter the expiry as a date.")
        .nullable(),
    ),
});

export type NewApiKeyForm = z.infer<typeof NewApiKeySchema>;
