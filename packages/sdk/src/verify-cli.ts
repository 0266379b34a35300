/**
 * The `dttracker-dobbletap-verify` bin: the contracts package's verification CLI, handed the SDK's
 * signer. It lives here because signing has one home (this package's `createSigner`) and the
 * contracts package cannot depend on the SDK.
 */
import { runVerifyCli } from "@dttracker-dobbletap/contracts/verify-cli";
import { createSigner } from "./signing/index.js";

runVerifyCli({ sign: (secret, id, body) => createSigner(secret).headers(id, body) });
