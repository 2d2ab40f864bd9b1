import path from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../db/seed/demo";
import { ConfigError, loadConfig } from "../app/lib/config.server";
import { createAppRuntime } from "../app/runtime.server";
import { DatabaseLockedError } from "../app/lib/db.server";
import { verifyAuditTrail, writeAuditCheckpoint, type AuditTrailVerification } from "../app/lib/audit-checkpoints.server";
import { createLogger } from "../app/lib/log.server";

const USAGE = `Usage: node build/cli.js <command>

Commands:
  audit-verify   Check the audit trail's keyed hash chain and its newest checkpoint in storage;
                 names the first broken entry or the missing tail, then writes a new checkpoint.
  seed-demo      Fill the demo data directory (storage/demo) with a realistic demo program.
`;

async function main(command: string | undefined): Promise<number> {
  const log = createLogger({ silent: true });
  switch (command) {
    case "audit-verify": {
      const runtime = await createAppRuntime(loadConfig(), { log, startWorkers: false });
      try {
        const result = await verifyAuditTrail(runtime.context.db, runtime.context.storage);
        process.stdout.write(describeVerification(result));
        if (!result.ok) return 2;
        // Only a trail that verified is worth anchoring.
        const written = await writeAuditCheckpoint(runtime.context.db, runtime.context.storage);
        if (written.status === "written") process.stdout.write(`Checkpoint written: ${written.key}.\n`);
        return 0;
      } finally {
        await runtime.close();
      }
    }
    case "seed-demo": {
      // The demo always lives in its own embedded database and files, whatever else is configured.
      const env = { ...process.env, STORAGE_DIR: path.resolve("storage/demo"), DATABASE_URL: undefined, S3_BUCKET: undefined, SMTP_URL: undefined };
      const runtime = await createAppRuntime(loadConfig(env), { log, startWorkers: false });
      try {
        const { created } = await seedDemo(runtime.context);
        await runtime.outbox.runOnce();
        process.stdout.write(created ? "Demo program created in storage/demo.\n" : "Demo data already present in storage/demo.\n");
        process.stdout.write(`\nDemo logins (password for all: "${DEMO_PASSWORD}"):\n`);
        for (const account of DEMO_ACCOUNTS) {
          const what = "org" in account ? `${account.partnerRole} of ${account.org}` : account.role.replace("_", " ");
          process.stdout.write(`  ${account.email.padEnd(28)} ${what}\n`);
        }
        process.stdout.write("\n");
        return 0;
      } finally {
        await runtime.close();
      }
    }
    default:
      process.stdout.write(USAGE);
      return command ? 1 : 0;
  }
}

function describeVerification({ chain, checkpoint }: AuditTrailVerification): string {
  const lines: string[] = [];
  if (chain.ok) {
    const unkeyed = chain.unkeyed ? ` (the first ${chain.unkeyed} from before the chain was keyed, checked with plain SHA-256)` : "";
    lines.push(`Audit trail intact: ${chain.checked} events verified${unkeyed}.`);
  } else {
    lines.push(`Audit trail BROKEN at event #${chain.brokenId}: ${chain.reason}.`, `${chain.checked} events before it verified.`);
  }
  switch (checkpoint.status) {
    case "none":
      lines.push("Checkpoints: none in storage yet.");
      break;
    case "ok":
      lines.push(
        `Checkpoint of ${checkpoint.checkpoint.writtenAt} matches: ${checkpoint.checkpoint.rowCount} events ending at #${checkpoint.checkpoint.headId}.`,
      );
      break;
    case "failed":
      lines.push(`Checkpoint check FAILED: ${checkpoint.reason}.`);
      break;
  }
  return lines.map((line) => `${line}\n`).join("");
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
