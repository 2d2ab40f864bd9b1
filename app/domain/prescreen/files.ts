import { labelOf } from "../applications/catalog";
import type { ChannelRules, FileFacts, Finding, ProgramRules } from "./types";

// The file rules: type accepted by the channel, size, an image's minimum
// dimensions and a PDF's page count, all admin settings per channel.

/** The rules for a channel: its own entry over the program's defaults. */
export function channelRulesFor(rules: ProgramRules, channel: string): ChannelRules {
  const own = Object.hasOwn(rules.channelRules, channel) ? rules.channelRules[channel] : undefined;
  return { ...rules.defaultChannelRules, ...own };
}

const humanise = (channel: string) => labelOf(channel).toLowerCase().replaceAll("_", " ");
const IMAGE = /^image\/(?!svg)/;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${Math.round((bytes / (1024 * 1024 * 1024)) * 10) / 10} GB`;
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const typeName = (contentType: string) =>
  contentType
    .replace(/^(image|video|application)\//, "")
    .replace("quicktime", "MOV")
    .replace("+xml", "")
    .toUpperCase();

export function checkFiles(files: readonly FileFacts[], rules: ProgramRules, channel: string): Finding[] {
  const channelRules = channelRulesFor(rules, channel);
  const findings: Finding[] = [];
  const error = (code: Finding["code"], message: string) => findings.push({ code, severity: "error", message, start: null, end: null });
  for (const file of files) {
    const name = file.name ? `"${file.name}"` : "The file";
    const type = file.contentType.toLowerCase().split(";")[0]!.trim();
    const accepted = channelRules.allowedFileTypes ?? [];
    if (accepted.length > 0 && !accepted.includes(type)) {
      error(
        "file_type_not_allowed",
        `${name} is a ${typeName(type)} file, which ${humanise(channel)} does not take. Upload one of: ${[...new Set(accepted.map(typeName))].join(", ")}.`,
      );
    }
    if (channelRules.maxFileBytes != null && file.sizeBytes > channelRules.maxFileBytes) {
      error(
        "file_too_large",
        `${name} is ${formatBytes(file.sizeBytes)}; ${humanise(channel)} takes files up to ${formatBytes(channelRules.maxFileBytes)}. Export it smaller.`,
      );
    }
    if (IMAGE.test(type) && file.width != null && file.height != null) {
      const minWidth = channelRules.minImageWidth ?? 0;
      const minHeight = channelRules.minImageHeight ?? 0;
      if (file.width < minWidth || file.height < minHeight) {
        const needed = [minWidth ? `${minWidth} px wide` : null, minHeight ? `${minHeight} px high` : null].filter(Boolean).join(" and ");
        error(
          "image_too_small",
          `${name} is ${file.width} × ${file.height} px; ${humanise(channel)} needs images at least ${needed}. Upload a larger version.`,
        );
      }
    }
    if (type === "application/pdf" && channelRules.maxPdfPages != null && file.pageCount != null && file.pageCount > channelRules.maxPdfPages) {
      error(
        "pdf_too_many_pages",
        `${name} has ${file.pageCount} pages; ${humanise(channel)} takes PDFs of up to ${channelRules.maxPdfPages} pages. Split it or shorten it.`,
      );
    }
  }
  return findings;
}
