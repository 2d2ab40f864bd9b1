import { z } from "zod";

/** The notifications page's one form: mark every notification read. */
export const NotificationsActionSchema = z.object({
  intent: z.literal("mark_all_read", { error: "Choose what to do with your notifications." }),
});

/** The account page's email preferences: `email` is the checkbox group of kinds to email (none ticked: none sent). */
export const EmailPreferencesSchema = z.object({
  intent: z.literal("email_preferences"),
  email: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.string().max(64, "Choose from the notifications listed.")).max(32, "Choose from the notifications listed.")),
});
