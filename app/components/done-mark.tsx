/** What a checklist item's tick says to a screen reader (the tick itself is drawn by `.checklist` CSS). */
export function DoneMark({ done }: { done: boolean }) {
  return <span className="visually-hidden">{done ? "Done: " : "To do: "}</span>;
}
