import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { apiKeyScopes, type ApiKeyScope } from "#db/schema/conversions";
import { PROBLEM_KINDS, problemType, type ProblemKind } from "~/lib/api.server";
import { ApiPageQuery, API_PAGE_LIMIT_DEFAULT, API_PAGE_LIMIT_MAX } from "../api-pages.server";
import { ConversionInput, ConversionOutput, RefundInput, RefundResultOutput } from "../conversions/api-schemas.server";
import { PerformanceQuery, PerformanceReportOutput, REPORT_RANGE_DEFAULT_DAYS, REPORT_RANGE_MAX_DAYS } from "../conversions/report-schemas.server";
import { LINK_KIND_LABELS, LINK_STATUS_LABELS, type LinkKind, type LinkStatus } from "../links/catalog";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from "../webhooks/catalog";

/**
 * The API's contract, built from the very zod schemas the routes validate
 * with, so the document served at /api/v1/openapi.json and the admins' API
 * page cannot drift from what the API accepts. A test checks that every
 * route file under app/routes/api.v1.* is described here, and that the
 * document is valid OpenAPI 3.1.
 */

export const API_VERSION = "1.0.0";

/** Every kind of refusal as a client meets it: the problem's `type`, its status and title (the API page lists them). */
export const API_PROBLEM_TYPES = (Object.keys(PROBLEM_KINDS) as ProblemKind[]).map((kind) => ({ type: problemType(kind), ...PROBLEM_KINDS[kind] }));

const Problem = z
  .object({
    type: z.string().meta({ description: "A stable name for the kind of refusal, to branch on.", example: problemType("invalid") }),
    title: z.string().meta({ example: PROBLEM_KINDS.invalid.title }),
    status: z.number().int().meta({ example: 400 }),
    detail: z
      .string()
      .meta({ description: "What went wrong, in words fit to log or show.", example: "amount: amount must be a whole number of minor units (cents)." }),
    errors: z
      .array(z.object({ field: z.string().meta({ example: "amount" }), message: z.string() }))
      .optional()
      .meta({ description: "One entry per field at fault, by its path in the request." }),
  })
  .meta({ id: "Problem", description: "An RFC 9457 problem document (application/problem+json)." });

const ApiLink = z
  .object({
    id: z.uuid(),
    code: z.string().meta({ example: "Zq81LmT0" }),
    shortUrl: z.url().meta({ example: "https://partners.example.com/l/Zq81LmT0" }),
    label: z.string(),
    partner: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    kind: z.enum(Object.keys(LINK_KIND_LABELS) as [LinkKind, ...LinkKind[]]),
    creativeId: z.uuid().nullable(),
    creativeVersionId: z.uuid().nullable(),
    destination: z.url(),
    status: z.enum(Object.keys(LINK_STATUS_LABELS) as [LinkStatus, ...LinkStatus[]]),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Link" });

const LinksPage = z
  .object({
    data: z.array(ApiLink),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; null on the last page." }),
  })
  .meta({ id: "LinksPage" });

const OrderIdParam = z.object({
  orderId: z.string().min(1).max(200).meta({ description: "The order id the conversion was posted with.", example: "ORD-10042" }),
});

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });

/** The refusals every authenticated operation can answer. */
const AUTH_RESPONSES = {
  401: problemResponse("No key, or a key that is unknown, revoked or expired (with `WWW-Authenticate: Bearer`)."),
  403: problemResponse("The key lacks the operation's scope."),
  429: problemResponse("Over the key's rate limit: wait the seconds in `Retry-After`."),
} satisfies RouteConfig["responses"];

const BODY_RESPONSES = {
  400: problemResponse("The body is not valid JSON, or a field is wrong: `errors` names each one."),
  413: problemResponse("The body is larger than 64 KB."),
  415: problemResponse("The body is not `application/json`."),
} satisfies RouteConfig["responses"];

/** One operation of the API, as the document and the API page show it. */
export type ApiOperation = RouteConfig & {
  scope: ApiKeyScope;
  /** A request body to show in the page's curl example. */
  exampleBody?: Record<string, unknown>;
  /** Query parameters to show in the page's curl example. */
  exampleQuery?: Record<string, string>;
};

export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/api/v1/conversions",
    scope: "conversions:write",
    operationId: "postConversion",
    summary: "Record a conversion",
    description:
      "Records a sale or lead once per order id, forever: repeating the same request answers 200 with the first result; " +
      "a request with the same order id and different values answers 409 naming each field that differs. " +
      "Attribution: a click id within the program's attribution window, else a partner's coupon code, else none (kept, and shown to admins).",
    request: { body: { required: true, content: { "application/json": { schema: ConversionInput } } } },
    responses: {
      201: { description: "Recorded: how it was attributed and what the partner earns.", content: { "application/json": { schema: ConversionOutput } } },
      200: { description: "A repeat of an earlier request: the first result, unchanged.", content: { "application/json": { schema: ConversionOutput } } },
      ...BODY_RESPONSES,
      ...AUTH_RESPONSES,
      409: problemResponse("The order id was recorded with different values: `errors` names each field that differs."),
    },
    // A click id of the shape the redirect gives out (made 13 minutes before the order), so the example is a request the API would take as it is.
    exampleBody: { orderId: "ORD-10042", amount: 4999, currency: "USD", occurredAt: "2026-11-30T14:05:00Z", clickId: "VcSr2jAu1quk8zgTlKYY" },
  },
  {
    method: "post",
    path: "/api/v1/conversions/{orderId}/refunds",
    scope: "conversions:write",
    operationId: "postRefund",
    summary: "Refund part or all of a conversion",
    description:
      "Reverses revenue and, in proportion, commission. Applied once per refund id of the order: repeating it answers 200 with the first result. " +
      "A refund larger than what is left unrefunded is refused (409).",
    request: { params: OrderIdParam, body: { required: true, content: { "application/json": { schema: RefundInput } } } },
    responses: {
      201: { description: "Refunded.", content: { "application/json": { schema: RefundResultOutput } } },
      200: { description: "A repeat of an earlier refund: the first result.", content: { "application/json": { schema: RefundResultOutput } } },
      ...BODY_RESPONSES,
      ...AUTH_RESPONSES,
      404: problemResponse("No conversion has that order id."),
      409: problemResponse("More than what is left unrefunded, or the refund id was used with different values."),
    },
    exampleBody: { refundId: "RF-77", amount: 1500, reason: "Returned one item" },
  },
  {
    method: "get",
    path: "/api/v1/conversions/{orderId}",
    scope: "reports:read",
    operationId: "getConversion",
    summary: "Read a conversion",
    description: "A conversion as it stands now, with its refunded totals, its attribution and the partner's commission.",
    request: { params: OrderIdParam },
    responses: {
      200: { description: "The conversion.", content: { "application/json": { schema: ConversionOutput } } },
      ...AUTH_RESPONSES,
      404: problemResponse("No conversion has that order id."),
    },
  },
  {
    method: "get",
    path: "/api/v1/links",
    scope: "links:read",
    operationId: "listLinks",
    summary: "List tracking links",
    description: `Every partner's tracking links, newest first, ${API_PAGE_LIMIT_MAX} at most per page.`,
    request: { query: ApiPageQuery },
    responses: {
      200: { description: "A page of links.", content: { "application/json": { schema: LinksPage } } },
      400: problemResponse("An unknown query parameter, a bad limit, or a cursor this API did not give out."),
      ...AUTH_RESPONSES,
    },
  },
  {
    method: "get",
    path: "/api/v1/reports/performance",
    scope: "reports:read",
    operationId: "getPerformanceReport",
    summary: "Report clicks, conversions and commission",
    description:
      "Clicks, conversions, revenue, commission and refunds per partner, per link or per day over a range of UTC days " +
      `(the last ${REPORT_RANGE_DEFAULT_DAYS} days unless given, at most ${REPORT_RANGE_MAX_DAYS}), for the whole program or one partner. ` +
      "Amounts are in minor units of the program's currency; conversions in other currencies are listed apart, never converted. " +
      `Rows come ${API_PAGE_LIMIT_DEFAULT} a page unless \`limit\` asks for more (at most ${API_PAGE_LIMIT_MAX}), like every list of the API.`,
    request: { query: PerformanceQuery },
    responses: {
      200: { description: "A page of the report.", content: { "application/json": { schema: PerformanceReportOutput } } },
      400: problemResponse(
        `An unknown query parameter, a day that is not YYYY-MM-DD, a range that runs backwards or covers more than ${REPORT_RANGE_MAX_DAYS} days, an unknown partnerId, or a cursor this report did not give out.`,
      ),
      ...AUTH_RESPONSES,
    },
    exampleQuery: { from: "2026-11-01", to: "2026-11-30", groupBy: "link" },
  },
];

/** The OpenAPI 3.1 document of the API, for the program at `origin`. */
export function openApiDocument(origin: string, programName: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key made by an admin under Admin → API keys: `Authorization: Bearer cb_live_…`.",
  });
  for (const { scope, exampleBody: _body, exampleQuery: _query, ...route } of API_OPERATIONS) {
    registry.registerPath({
      ...route,
      tags: [scope.split(":")[0]!],
      security: [{ [bearer.name]: [] }],
      description: `${route.description ?? ""}\n\nScope: \`${scope}\`.`.trim(),
    });
  }
  // The webhooks the program sends (OpenAPI 3.1's top-level `webhooks`): one per event of the catalogue, its example data included.
  for (const type of WEBHOOK_EVENT_TYPES) {
    const event = WEBHOOK_EVENTS[type];
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `webhook_${type.replace(".", "_")}`,
      summary: event.description,
      description:
        "Sent to the webhook endpoints an admin subscribed to this event (Admin → Webhooks), signed per Standard Webhooks: verify `webhook-signature` " +
        "with the endpoint's `whsec_…` secret. Answer with a 2xx within 10 seconds; anything else is retried.",
      tags: ["webhooks"],
      request: {
        headers: z.object({
          "webhook-id": z.string().meta({ description: "The message's id, the same on every attempt.", example: "msg_2cS8mU0pQy3oVb1kX7rT9w" }),
          "webhook-timestamp": z.string().meta({ description: "When this attempt was signed, in seconds since 1970.", example: "1777887000" }),
          "webhook-signature": z
            .string()
            .meta({ description: "`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.", example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" }),
        }),
        body: {
          content: {
            "application/json": {
              schema: z.object({
                type: z.literal(type),
                timestamp: z.string().meta({ description: "When the event happened (ISO 8601).", example: "2026-05-04T09:30:00.000Z" }),
                data: z.record(z.string(), z.unknown()).meta({ example: event.example }),
              }),
            },
          },
        },
      },
      responses: { 200: { description: "Any 2xx: received." } },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: `${programName} partner program API`,
      version: API_VERSION,
      description:
        "Conversions, performance reports and tracking links of the partner program. Amounts are integers in minor units of their currency (cents). " +
        `Errors are RFC 9457 problem documents; their \`type\` is one of: ${API_PROBLEM_TYPES.map((problem) => problem.type).join(", ")}.`,
    },
    servers: [{ url: origin }],
  });
}

export const API_SCOPES = apiKeyScopes;

/** One field of a request, as the API page lists it. */
export type ApiReferenceField = { name: string; type: string; required: boolean; description: string };

/** One operation, as the API page shows it: read off the document, so the page says what the document says. */
export type ApiReferenceOperation = {
  id: string;
  method: string;
  path: string;
  scope: ApiKeyScope;
  summary: string;
  description: string;
  parameters: ApiReferenceField[];
  body: ApiReferenceField[];
  responses: { status: string; description: string }[];
  curl: string;
};

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};

/** "string (date-time)", "integer, 0 to 10000000000000", "one of: last_click, first_click". */
function describeType(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): string {
  const s = resolve(schema);
  if (s.anyOf) return s.anyOf.map((part) => describeType(part, resolve)).join(" or ");
  if (s.enum) return `one of: ${s.enum.join(", ")}`;
  const types = (Array.isArray(s.type) ? s.type : [s.type ?? "any"]).filter((t) => t !== "null");
  let text = types.join(" or ");
  if (s.format) text += ` (${s.format})`;
  if (s.type === "array" && s.items) text = `list of ${describeType(s.items, resolve)}`;
  if (s.maxLength !== undefined) text += `, at most ${s.maxLength} characters`;
  if (s.minimum !== undefined && s.maximum !== undefined) text += `, ${s.minimum} to ${s.maximum}`;
  if (Array.isArray(s.type) && s.type.includes("null")) text += ", or null";
  return text;
}

/** The API page's content: every operation with its fields, answers and a curl example. */
export function apiReference(origin: string, programName: string): ApiReferenceOperation[] {
  const document = openApiDocument(origin, programName);
  const schemas = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? resolve(schemas[s.$ref.replace("#/components/schemas/", "")] ?? {}) : s);
  const fieldsOf = (schema: JsonSchema | undefined): ApiReferenceField[] => {
    if (!schema) return [];
    const object = resolve(schema);
    return Object.entries(object.properties ?? {}).map(([name, property]) => ({
      name,
      type: describeType(property, resolve),
      required: object.required?.includes(name) ?? false,
      description: resolve(property).description ?? property.description ?? "",
    }));
  };
  return API_OPERATIONS.map((operation) => {
    const described = (document.paths?.[operation.path] as Record<string, unknown> | undefined)?.[operation.method] as
      | {
          operationId: string;
          parameters?: { name: string; in: string; required?: boolean; description?: string; schema: JsonSchema }[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          responses: Record<string, { description: string }>;
        }
      | undefined;
    if (!described) throw new Error(`${operation.method} ${operation.path} is missing from the document`);
    const url = `${origin}${operation.path}${operation.exampleQuery ? `?${new URLSearchParams(operation.exampleQuery).toString()}` : ""}`;
    const curl = [
      `curl ${operation.method === "get" ? "" : `-X ${operation.method.toUpperCase()} `}"${url}"`,
      `  -H "Authorization: Bearer $COBRAND_API_KEY"`,
      ...(operation.exampleBody ? [`  -H "Content-Type: application/json"`, `  -d '${JSON.stringify(operation.exampleBody)}'`] : []),
    ].join(" \\\n");
    return {
      id: described.operationId,
      method: operation.method.toUpperCase(),
      path: operation.path,
      scope: operation.scope,
      summary: operation.summary ?? "",
      description: operation.description ?? "",
      parameters: (described.parameters ?? []).map((p) => ({
        name: `${p.name} (${p.in})`,
        type: describeType(p.schema, resolve),
        required: p.required ?? false,
        description: p.description ?? p.schema.description ?? "",
      })),
      body: fieldsOf(described.requestBody?.content["application/json"]?.schema),
      responses: Object.entries(described.responses)
        .map(([status, response]) => ({ status, description: response.description }))
        .sort((a, b) => a.status.localeCompare(b.status)),
      curl,
    };
  });
}
