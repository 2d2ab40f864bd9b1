/**
 * Plain text with its http(s) links made clickable. React escapes the text;
 * only URLs with an http(s) scheme become anchors.
 */
export function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>
          {paragraph.split(/(https?:\/\/[^\s<>"]+)/g).map((part, j) =>
            /^https?:\/\//.test(part) ? (
              <a key={j} href={part} rel="noreferrer">
                {part}
              </a>
            ) : (
              <span key={j}>{part}</span>
            ),
          )}
        </p>
      ))}
    </>
  );
}
