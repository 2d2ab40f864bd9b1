import { z } from "zod";
import { Email, Password, RequiredText } from "~/lib/forms.server";
import { INTERNAL_ROLE_VALUES } from "./roles";

export const LoginSchema = z.object({
  email: Email,
  password: Password,
  redirectTo: z.string().max(2000).optional(),
});

export const SetupSchema = z.object({
  token: z.string().min(1).max(200),
  programName: RequiredText("Program name", 80),
  name: RequiredText("Your name", 120),
  email: Email,
  password: Password,
});

export const ForgotPasswordSchema = z.object({ email: Email });

export const ResetPasswordSchema = z
  .object({ token: z.string().min(1).max(200), password: Password, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });

export const AcceptInvitationSchema = z
  .object({ token: z.string().min(1).max(200), name: RequiredText("Your name", 120), password: Password, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });

export const ChangePasswordSchema = z
  .object({ currentPassword: Password, newPassword: Password, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });

const InternalRole = z.enum(INTERNAL_ROLE_VALUES, { error: "Choose a role." });

export const UserAdminSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("invite"), email: Email, role: InternalRole }),
  z.object({ intent: z.literal("change-role"), userId: z.uuid(), role: InternalRole }),
  z.object({ intent: z.literal("disable"), userId: z.uuid() }),
  z.object({ intent: z.literal("enable"), userId: z.uuid() }),
  z.object({ intent: z.literal("revoke-invitation"), invitationId: z.uuid() }),
  z.object({ intent: z.literal("resend-invitation"), invitationId: z.uuid() }),
]);
