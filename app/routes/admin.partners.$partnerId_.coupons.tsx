import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { COUPON_MANAGER_ROLES, COUPON_READER_ROLES, hasRole } from "~/domain/accounts/roles";
import { couponOwner, couponsOfOrganisation, createCoupon, disableCoupon } from "~/domain/conversions/coupons.server";
import { CouponActionSchema } from "~/domain/conversions/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { CouponTable, NewCouponForm } from "~/components/coupons";
import { Pagination } from "~/components/pagination";
import { Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Coupon codes · ${data.organisation.name}` : "Coupon codes" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, COUPON_READER_ROLES);
  const partnerOrgId = idParam(params, "partnerId");
  const db = context.app.db;
  const organisation = await mapDomainErrors(couponOwner(db, partnerOrgId), { context, request });
  const page = await couponsOfOrganisation(db, partnerOrgId, pageNumberFrom(request), context.app.clock.now());
  return {
    organisation,
    ...page,
    canManage: hasRole(user.role, COUPON_MANAGER_ROLES),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  // Reading the codes is open to the brand team; making and disabling them is the admin's (others get 403).
  const user = await requireInternalUser(context, request, COUPON_MANAGER_ROLES);
  const partnerOrgId = idParam(params, "partnerId");
  const formData = await request.formData();
  const parsed = parseForm(formData, CouponActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const here = `/admin/partners/${partnerOrgId}/coupons`;
  try {
    if (parsed.data.intent === "create") {
      const coupon = await createCoupon(context.app, actorOf(user, context), partnerOrgId, parsed.data);
      return redirectWithToast(context, here, {
        kind: "success",
        message: `Coupon code ${coupon.code} added: orders that name it, in any case, count for this partner when no click does.`,
      });
    }
    const coupon = await disableCoupon(context.app, actorOf(user, context), partnerOrgId, parsed.data.couponId);
    return redirectWithToast(context, here, { kind: "success", message: `Coupon code ${coupon.code} disabled.` });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function PartnerCouponsRoute() {
  const { organisation, rows, total, page, pageCount, canManage } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const here = `/admin/partners/${organisation.id}/coupons`;
  const terminated = organisation.status === "terminated";
  const showForm = canManage && !terminated;
  return (
    <>
      <PageHeader
        title="Coupon codes"
        breadcrumbs={[
          { to: "/admin/partners", label: "Partners" },
          { to: `/admin/partners/${organisation.id}`, label: organisation.name },
        ]}
        description={`Codes that attribute an order to ${organisation.name} when the order carries no click id that counts. A click always wins over a coupon of another partner.`}
      />
      {/* A refusal the new-code form does not show itself (a disable, or a post without the form). */}
      {failure && !(failure.values.intent === "create" && showForm) ? <FormError>{failure.formError}</FormError> : null}
      {showForm ? (
        <Card title="New coupon code">
          <NewCouponForm action={here} failure={failure} pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"} />
        </Card>
      ) : null}
      <Card title={`${total} ${total === 1 ? "code" : "codes"}`} flush={rows.length > 0}>
        <CouponTable
          coupons={rows}
          caption={`Coupon codes of ${organisation.name}, newest first`}
          disableAction={canManage ? here : null}
          empty={
            <p className="muted">
              {organisation.name} has no coupon codes yet.
              {showForm ? " Add one above: the partner sees it on their links page." : null}
            </p>
          }
        />
        <Pagination page={page} pageCount={pageCount} />
      </Card>
    </>
  );
}
