import { setAuditKeys } from "~/lib/audit.server";
import { TEST_APP_SECRET } from "./context";

// Tests write audit events straight to a test database, without a runtime to key the chain.
setAuditKeys(TEST_APP_SECRET);
