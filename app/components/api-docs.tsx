import { Fragment } from "react";
import { API_KEY_SCOPE_DETAILS } from "~/domain/api-keys/catalog";
import type { ApiReferenceField, ApiReferenceOperation } from "~/domain/api/openapi.server";
import { CopyField } from "./link-parts";
import { Badge, Card, DataTable } from "./ui";

// The API page's parts (Admin → API): every part shows what apiReference
// read off the OpenAPI document, so the page says what the API does.

/** An HTTP method as a small label: reads first in every heading and the contents. */
export function MethodBadge({ method }: { method: string }) {
  return <span className={`api-method api-method--${method.toLowerCase()}`}>{method}</span>;
}

/** Text of the document, its `backticked` names shown as code; one element, so a stacked table cell lays it out as one value. */
export function TextWithCode({ text }: { text: string }) {
  return <span>{text.split("`").map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <Fragment key={index}>{part}</Fragment>))}</span>;
}

/** Links to each operation's section, by its operationId. */
export function ApiContents({ operations }: { operations: readonly Pick<ApiReferenceOperation, "id" | "method" | "path" | "summary">[] }) {
  return (
    <nav className="api-contents" aria-label="Endpoints">
      <ol>
        <li>
          <a href="#basics">Basics: authentication, errors, idempotency, attribution</a>
        </li>
        {operations.map((operation) => (
          <li key={operation.id}>
            <a href={`#${operation.id}`}>
              <MethodBadge method={operation.method} /> <code>{operation.path}</code>
              <span className="api-contents__summary">{operation.summary}</span>
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function FieldsTable({ caption, fields }: { caption: string; fields: readonly ApiReferenceField[] }) {
  return (
    <DataTable
      caption={caption}
      captionHidden
      className="api-fields"
      columns={[
        { key: "name", header: "Name", rowHeader: true },
        { key: "type", header: "Type" },
        { key: "required", header: "Required" },
        { key: "description", header: "Description" },
      ]}
      rows={fields}
      getRowKey={(field) => field.name}
      renderCell={(field, key) => {
        switch (key) {
          case "name":
            return <code>{field.name}</code>;
          case "type":
            return field.type;
          case "required":
            return field.required ? "Required" : <span className="muted">Optional</span>;
          case "description":
            return field.description ? <TextWithCode text={field.description} /> : <span className="muted">–</span>;
          default:
            return null;
        }
      }}
    />
  );
}

/** One operation: method and path, its scope, what it does, its parameters and body fields, its answers and a curl example to copy. */
export function ApiOperationSection({ operation }: { operation: ApiReferenceOperation }) {
  const title = `${operation.method} ${operation.path}`;
  return (
    <Card
      id={operation.id}
      className="api-operation"
      title={
        <>
          <MethodBadge method={operation.method} /> <code className="api-operation__path">{operation.path}</code>
        </>
      }
      description={operation.summary}
      actions={
        <Badge tone="info">
          <span className="visually-hidden">Scope </span>
          {operation.scope}
          <span className="visually-hidden"> ({API_KEY_SCOPE_DETAILS[operation.scope].label})</span>
        </Badge>
      }
    >
      <p>
        <TextWithCode text={operation.description} />
      </p>
      {operation.parameters.length ? (
        <div>
          <h3 className="subsection-title">Parameters</h3>
          <FieldsTable caption={`Parameters of ${title}`} fields={operation.parameters} />
        </div>
      ) : null}
      {operation.body.length ? (
        <div>
          <h3 className="subsection-title">Request body</h3>
          <p className="muted small">
            A JSON object, sent with <code>Content-Type: application/json</code>. Any other field is refused, with its name.
          </p>
          <FieldsTable caption={`Body fields of ${title}`} fields={operation.body} />
        </div>
      ) : null}
      <div>
        <h3 className="subsection-title">Responses</h3>
        <DataTable
          caption={`Responses of ${title}`}
          captionHidden
          className="api-responses"
          columns={[
            { key: "status", header: "Status", rowHeader: true },
            { key: "description", header: "Meaning" },
          ]}
          rows={operation.responses}
          getRowKey={(response) => response.status}
          renderCell={(response, key) => (key === "status" ? <code>{response.status}</code> : <TextWithCode text={response.description} />)}
        />
      </div>
      <CopyField id={`${operation.id}-example`} label="Example request" name={title} what="command" value={operation.curl} multiline />
    </Card>
  );
}
