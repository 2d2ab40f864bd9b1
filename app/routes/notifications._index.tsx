import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { notificationKindLabel } from "~/domain/notifications/catalog";
import { listNotifications, markAllRead } from "~/domain/notifications/notify.server";
import { NotificationsActionSchema } from "~/domain/notifications/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { requireUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AreaShell } from "~/components/area-shell";
import { formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { Badge, BellIcon, Button, Card, EmptyState, PageHeader } from "~/components/ui";
import type { RootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "Notifications" }];

// Every signed-in person's own notifications, in the neutral shell of their
// area (like the account page). A partner still held at the policy gate reads
// them too: what gated them is one of them.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  return { page: await listNotifications(context.app.db, user.id, pageNumberFrom(request)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(context, request);
  const parsed = parseForm(await request.formData(), NotificationsActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const marked = await markAllRead(context.app, user.id);
  return redirectWithToast(context, "/notifications", {
    kind: "success",
    message: marked ? `Marked ${marked === 1 ? "1 notification" : `${marked} notifications`} read.` : "Everything was already read.",
  });
}

export default function NotificationsRoute() {
  const root = useRouteLoaderData<RootData>("root");
  const { page } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && navigation.formAction?.startsWith("/notifications?") === true;
  if (!root?.user) return null;
  const unread = root.unreadNotifications;
  return (
    <AreaShell branding={root.branding} user={root.user}>
      <PageHeader
        title="Notifications"
        description={unread ? `${unread} unread` : "All read"}
        actions={
          unread ? (
            <Form method="post" action="/notifications?index">
              <input type="hidden" name="intent" value="mark_all_read" />
              <Button type="submit" variant="secondary" pending={pending}>
                Mark all read
              </Button>
            </Form>
          ) : null
        }
      />
      {page.total === 0 ? (
        <Card>
          <EmptyState
            icon={<BellIcon />}
            title="No notifications yet"
            description="Decisions, changes and work waiting for you show up here. You can choose which ones are also emailed on your account page."
          />
        </Card>
      ) : (
        <Card flush>
          <ul className="notification-list">
            {page.rows.map((n) => (
              <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
                {/* Opening marks it read, then goes to what it is about. */}
                <Form method="post" action={`/notifications/${n.id}/open`} className="notification__form">
                  <button type="submit" className="notification__open">
                    <span className="notification__title">
                      {n.readAt ? null : (
                        <Badge tone="brand" dot>
                          Unread
                        </Badge>
                      )}{" "}
                      {n.title}
                    </span>
                    {n.body ? <span className="notification__body">{n.body}</span> : null}
                    <span className="notification__meta muted">
                      {notificationKindLabel(n.kind)} · <time dateTime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt)}</time>
                    </span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} />
    </AreaShell>
  );
}
