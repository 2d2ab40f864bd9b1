import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { REVIEW_MATRIX_EDITOR_ROLES } from "~/domain/accounts/roles";
import { pageNumberFrom } from "~/domain/pagination.server";
import { applyEdit, draftOf, editOf, matrixChangesLabel, type MatrixDraft } from "~/domain/review/matrix-form";
import { readMatrixForm, validateMatrix } from "~/domain/review/matrix-schema.server";
import { currentMatrix, matrixChoices, matrixHistory, matrixSavedBy, saveMatrix } from "~/domain/review/matrix.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { ApprovalMatrixForm, type MatrixFormState } from "~/components/approval-matrix-form";
import { formatDateTime } from "~/components/format";
import { VersionHistory } from "~/components/version-history";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Review · Settings" }];

const HERE = "/admin/settings/review";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REVIEW_MATRIX_EDITOR_ROLES);
  const db = context.app.db;
  const matrix = await currentMatrix(db);
  const [saved, history, choices] = await Promise.all([
    matrixSavedBy(db, matrix.version),
    matrixHistory(db, pageNumberFrom(request)),
    matrixChoices(db, matrix),
  ]);
  return { version: matrix.version, saved, draft: draftOf(matrix), choices, history };
}

/**
 * The form again, not saved: after an edit button (the change made), a
 * refusal (what was typed, with its problems), or a conflict. `revision`
 * makes the page draw the form afresh from this draft.
 */
const formAgain = (draft: MatrixDraft, state: Partial<Omit<MatrixFormState, "draft">>, status = 200) =>
  data({ draft, errors: {}, formError: null, notice: null, focus: null, ...state, revision: crypto.randomUUID() }, { status });

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, REVIEW_MATRIX_EDITOR_ROLES);
  const formData = await request.formData();
  const { draft, basedOn, intent } = readMatrixForm(formData);
  const edit = editOf(intent);
  if (edit) {
    const edited = applyEdit(draft, edit);
    return edited.ok ? formAgain(edited.draft, { notice: edited.notice, focus: edited.focus }) : formAgain(draft, { formError: edited.message }, 400);
  }
  if (intent !== "save") return formAgain(draft, { formError: "That button is not on this page any more: reload it and try again." }, 400);

  const db = context.app.db;
  const validation = validateMatrix(draft, await matrixChoices(db, await currentMatrix(db)));
  if (!validation.ok) return formAgain(draft, { errors: validation.errors }, 400);
  let saved: { version: number; changed: string[] };
  try {
    saved = await saveMatrix(context.app, actorOf(admin, context), validation.settings, { basedOn });
  } catch (error) {
    // The refusal's message and status as every form gets them; the form keeps the admin's draft.
    const refused = await domainFailure(error, formData, { context, request });
    return formAgain(draft, { formError: refused.data.formError, errors: refused.data.errors }, refused.init?.status ?? 400);
  }
  const { version, changed } = saved;
  if (!changed.length) {
    const what = version ? `the matrix is still version ${version}` : "the built-in defaults still apply";
    return redirectWithToast(context, HERE, { kind: "info", message: `Nothing changed: ${what}.` });
  }
  return redirectWithToast(context, HERE, {
    kind: "success",
    title: `Saved as version ${version}`,
    message: `New submissions are routed by it from now on. Changed: ${matrixChangesLabel(changed)}.`,
  });
}

export default function ReviewSettingsRoute() {
  const { version, saved, draft, choices, history } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const pendingIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "save") : null;
  const refused = answer && (answer.formError || Object.keys(answer.errors).length) ? answer : null;
  return (
    <>
      <PageHeader
        title="Review"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="The approval matrix decides which review stages a submitted creative needs: brand, legal or both. It also sets how long each stage has to decide."
      />
      <SettingsShell current="approval-matrix">
        <Alert tone="info" live={false} title={version ? `Version ${version} applies` : "Using the built-in defaults (version 0)"}>
          {version && saved ? (
            <p>
              Saved {formatDateTime(new Date(saved.createdAt))}
              {saved.createdByName ? ` by ${saved.createdByName}` : ""}. Each save is a new version; a submission records the version that routed it.
            </p>
          ) : (
            <p>
              No one has saved the matrix yet: every creative needs brand review, and legal review too for strategic partners, paid channels and creatives that
              use claims. Saving a change creates version 1.
            </p>
          )}
          <p>A change applies to new submissions only: versions already in review keep the stages they were given.</p>
        </Alert>
        <ApprovalMatrixForm
          key={answer?.revision ?? `v${version}`}
          basedOn={version}
          state={answer ?? { draft, errors: {}, formError: null, notice: null, focus: null }}
          choices={choices}
          failure={refused}
          pendingIntent={pendingIntent}
        />
        <VersionHistory
          caption="Versions of the approval matrix"
          description="Every saved version of the matrix, newest first."
          rows={history.rows}
          page={history.page}
          pageCount={history.pageCount}
          describeChanges={matrixChangesLabel}
          empty={{ title: "Using the built-in defaults", description: "No version has been saved yet. The defaults apply until an admin saves a change." }}
        />
      </SettingsShell>
    </>
  );
}
