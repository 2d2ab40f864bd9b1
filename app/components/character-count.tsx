import { useEffect, useState } from "react";
import { useHydrated } from "./use-hydrated";
import { TextareaField, type TextareaFieldProps } from "./ui";

// Screen readers hear the count only once typing pauses, not at every key.
const ANNOUNCE_AFTER_MS = 1000;

const count = (n: number) => n.toLocaleString("en");

function remaining(maxLength: number, length: number): string {
  const left = maxLength - length;
  if (left < 0) return `${count(-left)} ${-left === 1 ? "character" : "characters"} too many`;
  return `${count(left)} ${left === 1 ? "character" : "characters"} left`;
}

/**
 * A textarea with its limit as `maxlength` and a count of what is left.
 * Without JavaScript the limit is stated in words; with it, a visible count
 * follows the typing and a polite live region repeats it after a pause.
 */
export function CountedTextareaField({ maxLength, ...props }: TextareaFieldProps & { maxLength: number }) {
  const baseId = props.id ?? `field-${props.name}`;
  const limitId = `${baseId}-limit`;
  const [length, setLength] = useState(props.defaultValue?.length ?? 0);
  const hydrated = useHydrated();
  const [typed, setTyped] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    if (!typed) return;
    const timer = setTimeout(() => setAnnouncement(remaining(maxLength, length)), ANNOUNCE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [typed, length, maxLength]);
  return (
    <div className="character-count">
      <TextareaField
        {...props}
        textareaProps={{
          ...props.textareaProps,
          maxLength,
          onChange: (event) => {
            setLength(event.currentTarget.value.length);
            setTyped(true);
          },
          "aria-describedby": [props.textareaProps?.["aria-describedby"], limitId].filter(Boolean).join(" "),
        }}
      />
      <div id={limitId} className={hydrated ? "visually-hidden" : "field__description character-count__message"}>
        {`You can enter up to ${count(maxLength)} characters.`}
      </div>
      {hydrated ? (
        <div
          className={length > maxLength ? "character-count__message character-count__message--over" : "field__description character-count__message"}
          aria-hidden="true"
        >
          {remaining(maxLength, length)}
        </div>
      ) : null}
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
