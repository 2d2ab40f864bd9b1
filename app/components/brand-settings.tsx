import { Form } from "@remix-run/react";
import { useState } from "react";
import { brandFilePath, COMMISSION_MODELS, EARNINGS_RANGE_MAX, normaliseHexColour, type LogoRef } from "~/domain/settings/catalog";
import { BrandLogo } from "./shell";
import { brandStyle, Button, FieldErrorMessage, FormError, Field, type FieldError } from "./ui";

/**
 * The brand colour as a picker and a hex field, with a preview of the header
 * and a button in it. Both submit: without JavaScript the server takes the
 * field if it was edited and the picker otherwise (brandColorSaved says which).
 */
export function BrandColourField({
  saved,
  typed,
  error,
  programName,
  logo,
}: {
  saved: string;
  typed: string;
  error?: FieldError;
  programName: string;
  logo: LogoRef | null;
}) {
  const [colour, setColour] = useState(typed);
  const shown = normaliseHexColour(colour) ?? saved;
  return (
    <fieldset className="field brand-colour">
      <legend className="field__label">Brand colour</legend>
      <input type="hidden" name="brandColorSaved" value={saved} />
      <div className="brand-colour__inputs">
        <label className="brand-colour__picker">
          <span className="visually-hidden">Pick the brand colour</span>
          <input
            type="color"
            name="brandColorPicker"
            value={shown}
            onChange={(event) => {
              setColour(event.target.value);
              const text = document.getElementById("field-brandColor");
              if (text instanceof HTMLInputElement) text.value = event.target.value;
            }}
          />
        </label>
        <Field
          label="Hex value"
          name="brandColor"
          required
          defaultValue={typed}
          description="Such as #4f46e5, or the short #fff. Used for buttons and highlights."
          error={error}
          inputProps={{ onChange: (event) => setColour(event.currentTarget.value), autoCapitalize: "off", spellCheck: false, inputMode: "text", maxLength: 40 }}
        />
      </div>
      <div className="brand-preview" style={brandStyle(shown)} aria-label="Preview" role="group">
        <div className="brand-preview__header">
          <BrandLogo logo={logo} />
          <span>{programName}</span>
        </div>
        <div className="brand-preview__body">
          <span className="button button--primary button--sm" aria-hidden="true">
            Apply now
          </span>
          <span className="brand-preview__link">A link in the brand colour</span>
        </div>
      </div>
    </fieldset>
  );
}

type LogoFailure = { errors: Record<string, string[] | undefined>; formError: string | null } | null;

/** Upload (multipart, to /admin/settings/logo) and removal of the program logo; shared by Settings and the logo page's error answer. */
export function LogoForms({ logo, failure }: { logo: LogoRef | null; failure: LogoFailure }) {
  const fileError = failure?.errors.file;
  return (
    <div className="stack">
      {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
      {logo ? (
        <div className="logo-current">
          <img src={brandFilePath("logo", logo)} alt="The current logo" width={logo.width} height={logo.height} className="logo-current__image" />
          <img src={brandFilePath("favicon-32.png", logo)} alt="Its favicon, 32 pixels" width={32} height={32} />
        </div>
      ) : (
        <p className="muted">No logo yet: the header and emails show the program name.</p>
      )}
      <Form method="post" action="/admin/settings/logo" encType="multipart/form-data" className="stack" aria-label="Upload a logo">
        <input type="hidden" name="intent" value="upload_logo" />
        <div className="field">
          <label className="field__label" htmlFor="logo-file">
            {logo ? "Replace the logo" : "Logo file"}{" "}
            <span className="field__required" aria-hidden="true">
              *
            </span>
          </label>
          <p className="field__description" id="logo-file-description">
            SVG or PNG, up to 2 MB. SVG is cleaned of scripts and external references. A favicon is made from it.
          </p>
          <input
            id="logo-file"
            className="input"
            type="file"
            name="file"
            required
            accept="image/svg+xml,image/png"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? "logo-file-description logo-file-error" : "logo-file-description"}
          />
          {fileError ? <FieldErrorMessage id="logo-file-error" messages={fileError} /> : null}
        </div>
        <div>
          <Button type="submit" variant="primary">
            Upload logo
          </Button>
        </div>
      </Form>
      {logo ? (
        <Form method="post" action="/admin/settings/logo">
          <input type="hidden" name="intent" value="remove_logo" />
          <Button type="submit" variant="secondary">
            Remove the logo
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

type EarningsValues = { tier: string; model: string; range: string };

/** One row per tier: its commission model and the range partners can expect. A row left blank is not shown. */
export function EarningsRowsFields({ rows, errors }: { rows: EarningsValues[]; errors: Record<string, string[] | undefined> }) {
  return (
    <fieldset className="field">
      <legend className="field__label">Earnings by tier</legend>
      <p className="field__description">Leave a tier blank to keep it out of the public table.</p>
      <div className="earnings-rows">
        {rows.map((row, i) => {
          const modelError = errors[`earnings.${i}.model`];
          const rangeError = errors[`earnings.${i}.range`];
          return (
            <div className="earnings-row" key={row.tier}>
              <input type="hidden" name={`earnings.${i}.tier`} value={row.tier} />
              <p className="earnings-row__tier" id={`earnings-${i}-tier`}>
                {row.tier}
              </p>
              <div className="field">
                <label className="field__label" htmlFor={`earnings-${i}-model`}>
                  Model <span className="visually-hidden">for {row.tier}</span>
                </label>
                <div className="select-wrap">
                  <select
                    id={`earnings-${i}-model`}
                    name={`earnings.${i}.model`}
                    className="field__control"
                    defaultValue={row.model}
                    aria-invalid={modelError ? true : undefined}
                    aria-describedby={modelError ? `earnings-${i}-model-error` : undefined}
                  >
                    <option value="">Not shown</option>
                    {COMMISSION_MODELS.map((m) => (
                      <option key={m.value} value={m.value}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                </div>
                {modelError ? <FieldErrorMessage id={`earnings-${i}-model-error`} messages={modelError} /> : null}
              </div>
              <div className="field">
                <label className="field__label" htmlFor={`earnings-${i}-range`}>
                  Range <span className="visually-hidden">for {row.tier}</span>
                </label>
                <input
                  id={`earnings-${i}-range`}
                  name={`earnings.${i}.range`}
                  className="field__control"
                  defaultValue={row.range}
                  maxLength={EARNINGS_RANGE_MAX}
                  placeholder=""
                  aria-invalid={rangeError ? true : undefined}
                  aria-describedby={rangeError ? `earnings-${i}-range-error` : undefined}
                />
                {rangeError ? <FieldErrorMessage id={`earnings-${i}-range-error`} messages={rangeError} /> : null}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
