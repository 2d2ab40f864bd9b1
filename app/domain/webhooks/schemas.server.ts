import { z } from "zod";
import { OptionalText, RequiredText } from "~/lib/forms.server";
import { manyOf } from "../settings/schemas.server";
import { WEBHOOK_LIMITS, WEBHOOK_SUBSCRIPTIONS } from "./catalog";

const SUBSCRIPTION_VALUES = WEBHOOK_SUBSCRIPTIONS as [string, ...string[]];

/** The endpoint form (new and edit). Whether the address is safe to send to is the domain's call: it resolves it (createEndpoint). */
export const EndpointSchema = z.object({
  url: RequiredText("The receiver's address", WEBHOOK_LIMITS.urlMax),
  description: OptionalText("A description", WEBHOOK_LIMITS.descriptionMax).transform((value) => value ?? ""),
  eventTypes: manyOf(SUBSCRIPTION_VALUES, "Choose events from the list.").refine((types) => types.length > 0, "Choose at least one event."),
});

/** The private-receivers setting: a checkbox, so absent means off. */
export const WebhookSettingsSchema = z.object({
  allowPrivateReceivers: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
});

const DeliveryId = z.coerce.number({ error: "Choose a delivery." }).int("Choose a delivery.").positive("Choose a delivery.");

/** The endpoint page's forms, one intent each. */
export const EndpointActionSchema = z.discriminatedUnion(
  "intent",
  [
    EndpointSchema.extend({ intent: z.literal("update") }),
    z.object({
      intent: z.literal("rotate"),
      revokeOld: z
        .literal("on")
        .optional()
        .transform((value) => value === "on"),
    }),
    z.object({ intent: z.literal("disable") }),
    z.object({ intent: z.literal("enable") }),
    z.object({ intent: z.literal("test") }),
    z.object({ intent: z.literal("redeliver"), deliveryId: DeliveryId }),
  ],
  { error: "Choose an action." },
);

/** The delete confirmation: the admin ticks that the log goes too. */
export const DeleteEndpointSchema = z.object({
  confirm: z.literal("on", { error: "Tick the box to confirm: the endpoint and its delivery log are deleted for good." }),
});
