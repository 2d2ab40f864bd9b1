import { MAX_EXTRA_BACKGROUNDS } from "~/domain/assets/catalog";
import { tierLabel } from "~/domain/partners/catalog";
import type { UploadFailure } from "./upload-form";
import { CheckboxField, CheckboxGroupField, Field, RadioGroupField, TextareaField } from "./ui";

export type AssetDetailsValues = {
  title: string;
  description: string;
  category: string;
  tags: string;
  visibility: "all" | "tiers";
  tiers: string[];
  availableFrom: string;
  expiresAt: string;
  allowOriginal: boolean;
  /** The asset's own rendition backgrounds, as typed: "#0f766e, #f5f5f4". */
  extraBackgrounds: string;
};

export const EMPTY_DETAILS: AssetDetailsValues = {
  title: "",
  description: "",
  category: "",
  tags: "",
  visibility: "all",
  tiers: [],
  availableFrom: "",
  expiresAt: "",
  allowOriginal: true,
  extraBackgrounds: "",
};

/** What was typed after a failed submit, or the stored values. */
export function detailsValues(failure: UploadFailure | null | undefined, current: AssetDetailsValues): AssetDetailsValues {
  if (!failure || Object.keys(failure.values).length === 0) return current;
  const v = failure.values;
  return {
    title: v.title ?? "",
    description: v.description ?? "",
    category: v.category ?? "",
    tags: v.tags ?? "",
    visibility: v.visibility === "tiers" ? "tiers" : "all",
    tiers: v.tiers ? v.tiers.split(",") : [],
    availableFrom: v.availableFrom ?? "",
    expiresAt: v.expiresAt ?? "",
    allowOriginal: v.allowOriginal === "on",
    extraBackgrounds: v.extraBackgrounds ?? "",
  };
}

/**
 * Title, description, category, tags, who sees it and when: shared by the
 * new-asset and edit forms. `backgrounds` adds the asset's own rendition
 * backgrounds (for an image or logo).
 */
export function AssetDetailsFields({
  values,
  errors,
  tiers,
  backgrounds = false,
}: {
  values: AssetDetailsValues;
  errors: UploadFailure["errors"];
  tiers: string[];
  backgrounds?: boolean;
}) {
  return (
    <>
      <Field label="Title" name="title" required defaultValue={values.title} error={errors.title} />
      <TextareaField label="Description" name="description" rows={2} defaultValue={values.description} error={errors.description} />
      <div className="form-grid">
        <Field label="Category" name="category" description="For example Logos, Product photos." defaultValue={values.category} error={errors.category} />
        <Field label="Tags" name="tags" description="Separated by commas." defaultValue={values.tags} error={errors.tags} />
      </div>
      <RadioGroupField
        legend="Who sees it"
        name="visibility"
        options={[
          { value: "all", label: "Every tier" },
          { value: "tiers", label: "Only the tiers chosen below" },
        ]}
        defaultValue={values.visibility}
        error={errors.visibility}
      />
      <CheckboxGroupField
        legend="Tiers"
        name="tiers"
        options={tiers.map((t) => ({ value: t, label: tierLabel(t) }))}
        defaultValue={values.tiers}
        error={errors.tiers}
      />
      <div className="form-grid">
        <Field
          label="Available from"
          name="availableFrom"
          type="date"
          description="Optional."
          defaultValue={values.availableFrom}
          error={errors.availableFrom}
        />
        <Field
          label="Expires on"
          name="expiresAt"
          type="date"
          description="Optional. Hidden and not downloadable from this day."
          defaultValue={values.expiresAt}
          error={errors.expiresAt}
        />
      </div>
      <CheckboxField
        label="Partners may download the original file"
        name="allowOriginal"
        defaultChecked={values.allowOriginal}
        description="For an SVG logo: the sanitized SVG. Renditions (PNG, JPEG, WebP) are always offered for images."
      />
      {backgrounds ? (
        <Field
          label="Extra background colours"
          name="extraBackgrounds"
          description={`Optional, up to ${MAX_EXTRA_BACKGROUNDS}, separated by commas, e.g. #f5f5f4. Partners may always choose transparent, white, black and the brand colour.`}
          defaultValue={values.extraBackgrounds}
          error={errors.extraBackgrounds}
        />
      ) : null}
    </>
  );
}
