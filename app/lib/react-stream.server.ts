import { Transform } from "node:stream";

// React 18.3's renderToPipeableStream encodes the page into 2048-byte views.
// When a multi-byte character (a curly quote, an accent, an emoji) would
// straddle the end of a view, it sends the whole view anyway, with the 1 to 3
// bytes it did not write still zero: a page then shows "poster\0”" wherever
// the boundary happens to fall (react/react#24985, fixed by react/react#26228
// in React 19 only). Drop this when React is upgraded.

const REACT_VIEW_SIZE = 2048;
/** A UTF-8 character is at most 4 bytes: at most 3 can be left unwritten. */
const MAX_UNWRITTEN = 3;

/**
 * A pass-through for React's HTML stream that cuts the unwritten zero bytes
 * off the end of a full view. Page HTML never holds a NUL byte of its own:
 * PostgreSQL text cannot store one, and nothing else puts one there.
 */
export function withoutUnwrittenBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) while (end > REACT_VIEW_SIZE - MAX_UNWRITTEN && chunk[end - 1] === 0) end--;
      callback(null, end === chunk.length ? chunk : chunk.subarray(0, end));
    },
  });
}
