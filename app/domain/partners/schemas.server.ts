import { z } from "zod";
import { Email } from "~/lib/forms.server";

const Id = z.uuid("Not found");

export const TeamActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("invite"), email: Email }),
  z.object({ intent: z.literal("resend_invitation"), invitationId: Id }),
  z.object({ intent: z.literal("revoke_invitation"), invitationId: Id }),
  z.object({ intent: z.literal("remove_member"), userId: Id }),
  z.object({
    intent: z.literal("transfer_ownership"),
    userId: z.uuid("Choose the member who becomes the owner."),
    confirm: z.literal("on", { error: "Tick the box to confirm: you will no longer manage the team." }),
  }),
]);
