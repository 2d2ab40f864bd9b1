import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button, type ButtonProps } from "./ui";

/** A one-button form that posts an intent and its hidden fields, e.g. "resend this invitation". */
export function IntentButton({
  intent,
  fields = {},
  children,
  ...button
}: { intent: string; fields?: Record<string, string>; children: ReactNode } & Omit<ButtonProps, "type" | "children">) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" {...button}>
        {children}
      </Button>
    </Form>
  );
}
