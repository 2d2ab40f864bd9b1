import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { couponsOfOrganisation, createPartnerCoupon, disablePartnerCoupon, partnerCouponOptions } from "~/domain/conversions/coupons.server";
import { CouponActionSchema } from "~/domain/conversions/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerOwner, requirePartnerUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { CouponTable, NewCouponForm } from "~/components/coupons";
import { Pagination } from "~/components/pagination";
import { Alert, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Coupon codes · Links" }];

const HERE = "/partner/links/coupons";

/** The organisation's coupon codes (read through the session's organisation only); its owner adds and disables them when the program allows. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const db = context.app.db;
  const [page, options] = await Promise.all([
    couponsOfOrganisation(db, user.partnerOrgId, pageNumberFrom(request), context.app.clock.now()),
    partnerCouponOptions(db, user.partnerOrgId),
  ]);
  return { ...page, refusal: options.refusal, owner: user.partnerRole === "owner" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const owner = await requirePartnerOwner(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, CouponActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = partnerActorOf(owner, context);
  try {
    if (parsed.data.intent === "create") {
      const coupon = await createPartnerCoupon(context.app, actor, parsed.data);
      return redirectWithToast(context, HERE, {
        kind: "success",
        message: `Coupon code ${coupon.code} added. Orders that name it count for you when they carry no click of yours or anyone's.`,
      });
    }
    const coupon = await disablePartnerCoupon(context.app, actor, parsed.data.couponId);
    return redirectWithToast(context, HERE, { kind: "success", message: `Coupon code ${coupon.code} disabled.` });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function PartnerCouponsRoute() {
  const { rows, total, page, pageCount, refusal, owner } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const canManage = owner && refusal === null;
  return (
    <>
      <PageHeader
        title="Coupon codes"
        breadcrumbs={[{ to: "/partner/links", label: "Links" }]}
        description="Shoppers type these at the brand's checkout. An order with one of your codes counts for you when it carries no click: a click on a link always comes first."
      />
      {/* A refusal the new-code form does not show itself (a disable, or a post without the form). */}
      {failure && !(failure.values.intent === "create" && canManage) ? <FormError>{failure.formError}</FormError> : null}
      {canManage ? (
        <Card title="New coupon code">
          <NewCouponForm action={HERE} failure={failure} pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"} />
        </Card>
      ) : (
        <Alert tone="info" live={false} title="Who makes coupon codes">
          {owner ? refusal : "Your organisation's owner manages its coupon codes."}
        </Alert>
      )}
      <Card title={`${total} ${total === 1 ? "code" : "codes"}`} flush={rows.length > 0}>
        <CouponTable
          coupons={rows}
          caption="Your coupon codes, newest first"
          disableAction={canManage ? HERE : null}
          empty={
            <p className="muted">You have no coupon codes yet.{canManage ? " Add one above." : " The program gives you codes here when it makes them."}</p>
          }
        />
        <Pagination page={page} pageCount={pageCount} />
      </Card>
    </>
  );
}
