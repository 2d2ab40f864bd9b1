import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

import { Alert } from "./alert";
import { cx } from "./cx";
import { AlertCircleIcon } from "./icons";

export type FieldError = string | string[] | null | undefined;

function errorList(error: FieldError): string[] {
  if (!error) return [];
  return (Array.isArray(error) ? error : [error]).filter((message) => message.length > 0);
}

// Ids follow the field name so error summaries and tests can link to them
// (#field-email); pass `id` when the same name appears twice on a page.
function fieldIds(name: string, id: string | undefined) {
  const control = id ?? `field-${name}`;
  return { control, description: `${control}-description`, error: `${control}-error` };
}

function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const joined = ids.filter(Boolean).join(" ");
  return joined.length > 0 ? joined : undefined;
}

function Label({ htmlFor, required, hidden, children }: { htmlFor: string; required: boolean; hidden: boolean; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className={cx("field__label", hidden && "visually-hidden")}>
      {children}
      {/* The control's `required` attribute is what screen readers announce. */}
      {required ? (
        <span className="field__required" aria-hidden="true">
          *
        </span>
      ) : null}
    </label>
  );
}

function Description({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div id={id} className="field__description">
      {children}
    </div>
  );
}

/** The message(s) under a control; linked to it through aria-describedby, so not a live region. */
export function FieldErrorMessage({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field-error">
      <AlertCircleIcon />
      {messages.length === 1 ? (
        <span>{messages[0]}</span>
      ) : (
        <ul className="field-error__list">
          {messages.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

type CommonFieldProps = {
  label: string;
  name: string;
  error?: FieldError;
  description?: ReactNode;
  required?: boolean;
  /** Defaults to `field-${name}`. */
  id?: string;
  /** Keeps the label for screen readers only (e.g. a search box with a visible button). */
  labelHidden?: boolean;
  className?: string;
};

export type FieldProps = CommonFieldProps & {
  type?: string;
  defaultValue?: string;
  autoComplete?: string;
  placeholder?: string;
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
};

export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  error,
  description,
  required = false,
  autoComplete,
  placeholder,
  id,
  labelHidden = false,
  className,
  inputProps,
}: FieldProps) {
  const ids = fieldIds(name, id);
  const messages = errorList(error);
  const invalid = messages.length > 0;
  return (
    <div className={cx("field", className)}>
      <Label htmlFor={ids.control} required={required} hidden={labelHidden}>
        {label}
      </Label>
      {description ? <Description id={ids.description}>{description}</Description> : null}
      <input
        autoComplete={autoComplete}
        placeholder={placeholder}
        {...inputProps}
        className={cx("field__control", inputProps?.className)}
        id={ids.control}
        name={name}
        type={type}
        defaultValue={defaultValue}
        required={required || undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(inputProps?.["aria-describedby"], description ? ids.description : undefined, invalid && ids.error)}
      />
      <FieldErrorMessage id={ids.error} messages={messages} />
    </div>
  );
}

export type TextareaFieldProps = CommonFieldProps & {
  defaultValue?: string;
  rows?: number;
  placeholder?: string;
  textareaProps?: TextareaHTMLAttributes<HTMLTextAreaElement>;
};

export function TextareaField({
  label,
  name,
  defaultValue,
  rows = 4,
  error,
  description,
  required = false,
  placeholder,
  id,
  labelHidden = false,
  className,
  textareaProps,
}: TextareaFieldProps) {
  const ids = fieldIds(name, id);
  const messages = errorList(error);
  const invalid = messages.length > 0;
  return (
    <div className={cx("field", className)}>
      <Label htmlFor={ids.control} required={required} hidden={labelHidden}>
        {label}
      </Label>
      {description ? <Description id={ids.description}>{description}</Description> : null}
      <textarea
        placeholder={placeholder}
        {...textareaProps}
        className={cx("field__control", textareaProps?.className)}
        id={ids.control}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        required={required || undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(textareaProps?.["aria-describedby"], description ? ids.description : undefined, invalid && ids.error)}
      />
      <FieldErrorMessage id={ids.error} messages={messages} />
    </div>
  );
}

export type SelectOption = { value: string; label: string; disabled?: boolean };
export type SelectOptionGroup = { label: string; options: readonly SelectOption[] };

export type SelectFieldProps = CommonFieldProps & {
  options: readonly SelectOption[];
  /** Further options under <optgroup> headings, after `options` (long lists grouped by area). */
  groups?: readonly SelectOptionGroup[];
  defaultValue?: string;
  /** Adds a first, empty option with this text (e.g. "Choose…"). */
  placeholder?: string;
  selectProps?: SelectHTMLAttributes<HTMLSelectElement>;
};

function SelectOptions({ options }: { options: readonly SelectOption[] }) {
  return options.map((option) => (
    <option key={option.value} value={option.value} disabled={option.disabled}>
      {option.label}
    </option>
  ));
}

export function SelectField({
  label,
  name,
  options,
  groups = [],
  defaultValue,
  placeholder,
  error,
  description,
  required = false,
  id,
  labelHidden = false,
  className,
  selectProps,
}: SelectFieldProps) {
  const ids = fieldIds(name, id);
  const messages = errorList(error);
  const invalid = messages.length > 0;
  return (
    <div className={cx("field", className)}>
      <Label htmlFor={ids.control} required={required} hidden={labelHidden}>
        {label}
      </Label>
      {description ? <Description id={ids.description}>{description}</Description> : null}
      <div className="select-wrap">
        <select
          {...selectProps}
          className={cx("field__control", selectProps?.className)}
          id={ids.control}
          name={name}
          defaultValue={defaultValue ?? (placeholder !== undefined ? "" : undefined)}
          required={required || undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(selectProps?.["aria-describedby"], description ? ids.description : undefined, invalid && ids.error)}
        >
          {placeholder !== undefined ? (
            <option value="" disabled={required}>
              {placeholder}
            </option>
          ) : null}
          <SelectOptions options={options} />
          {groups.map((group) => (
            <optgroup key={group.label} label={group.label}>
              <SelectOptions options={group.options} />
            </optgroup>
          ))}
        </select>
      </div>
      <FieldErrorMessage id={ids.error} messages={messages} />
    </div>
  );
}

export type CheckboxFieldProps = {
  /** ReactNode so the label can hold a link (e.g. "I accept the <a>terms</a>"). */
  label: ReactNode;
  name: string;
  /** Submitted value when checked; defaults to "on" like the browser. */
  value?: string;
  defaultChecked?: boolean;
  error?: FieldError;
  description?: ReactNode;
  required?: boolean;
  id?: string;
  className?: string;
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
};

export function CheckboxField({ label, name, value, defaultChecked, error, description, required = false, id, className, inputProps }: CheckboxFieldProps) {
  const ids = fieldIds(name, id);
  const messages = errorList(error);
  const invalid = messages.length > 0;
  return (
    <div className={cx("choice", className)}>
      <input
        {...inputProps}
        className={cx("choice__input", inputProps?.className)}
        type="checkbox"
        id={ids.control}
        name={name}
        // Always explicit: React turns a present-but-undefined value prop into
        // value="" on hydration, and the box would then submit an empty string.
        value={value ?? "on"}
        defaultChecked={defaultChecked}
        required={required || undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(inputProps?.["aria-describedby"], description ? ids.description : undefined, invalid && ids.error)}
      />
      <label htmlFor={ids.control} className="choice__label">
        {label}
      </label>
      {description ? (
        <div id={ids.description} className="choice__description">
          {description}
        </div>
      ) : null}
      <FieldErrorMessage id={ids.error} messages={messages} />
    </div>
  );
}

export type ChoiceOption = { value: string; label: ReactNode; description?: ReactNode; disabled?: boolean };

type ChoiceGroupProps = {
  /** The question, rendered as the fieldset's legend. */
  legend: string;
  name: string;
  options: readonly ChoiceOption[];
  error?: FieldError;
  description?: ReactNode;
  required?: boolean;
  id?: string;
  /** Lays options out in columns on wide screens (for long lists). */
  columns?: boolean;
  className?: string;
};

function ChoiceGroup({
  type,
  legend,
  name,
  options,
  isChecked,
  error,
  description,
  required = false,
  id,
  columns = false,
  className,
}: ChoiceGroupProps & { type: "checkbox" | "radio"; isChecked: (value: string) => boolean }) {
  const ids = fieldIds(name, id);
  const messages = errorList(error);
  const invalid = messages.length > 0;
  return (
    <fieldset
      className={cx("fieldset", className)}
      id={ids.control}
      aria-describedby={describedBy(description ? ids.description : undefined, invalid && ids.error)}
    >
      <legend className="field__label">
        {legend}
        {required ? (
          <span className="field__required" aria-hidden="true">
            *
          </span>
        ) : null}
      </legend>
      {description ? <Description id={ids.description}>{description}</Description> : null}
      <div className={cx("choice-list", columns && "choice-list--columns")}>
        {options.map((option, index) => {
          const optionId = `${ids.control}-${index}`;
          return (
            <div className="choice" key={option.value}>
              <input
                className="choice__input"
                type={type}
                id={optionId}
                name={name}
                value={option.value}
                defaultChecked={isChecked(option.value)}
                disabled={option.disabled}
                // Browsers can require one radio of a group; "at least one
                // checkbox" has no native equivalent and is checked on the server.
                required={type === "radio" && required ? true : undefined}
                aria-invalid={invalid || undefined}
                aria-describedby={option.description ? `${optionId}-description` : undefined}
              />
              <label htmlFor={optionId} className="choice__label">
                {option.label}
              </label>
              {option.description ? (
                <div id={`${optionId}-description`} className="choice__description">
                  {option.description}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      <FieldErrorMessage id={ids.error} messages={messages} />
    </fieldset>
  );
}

export type CheckboxGroupFieldProps = ChoiceGroupProps & { defaultValue?: readonly string[] };

/** Several checkboxes sharing one name; the server reads formData.getAll(name). */
export function CheckboxGroupField({ defaultValue = [], ...props }: CheckboxGroupFieldProps) {
  return <ChoiceGroup {...props} type="checkbox" isChecked={(value) => defaultValue.includes(value)} />;
}

export type RadioGroupFieldProps = ChoiceGroupProps & { defaultValue?: string };

export function RadioGroupField({ defaultValue, ...props }: RadioGroupFieldProps) {
  return <ChoiceGroup {...props} type="radio" isChecked={(value) => value === defaultValue} />;
}

export type FormMessageProps = {
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  id?: string;
};

/** A form-level error (e.g. "Wrong email or password"). Renders nothing when empty. */
export function FormError({ title, children, className, id }: FormMessageProps) {
  if (!title && !children) return null;
  return (
    <Alert tone="danger" title={title} className={className} id={id}>
      {children}
    </Alert>
  );
}

/** Confirmation after a successful submit. Renders nothing when empty. */
export function FormSuccess({ title, children, className, id }: FormMessageProps) {
  if (!title && !children) return null;
  return (
    <Alert tone="success" title={title} className={className} id={id}>
      {children}
    </Alert>
  );
}
