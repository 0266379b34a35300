/**
 * The version of the wire contract these schemas encode (semver). It is written into the OpenAPI
 * documents' `info.version` and the pacts' metadata, so a document or a pact says which contract it
 * pins. It moves with the contract, not with the package: a package release that changes no rule of
 * the wire keeps it.
 *
 * @example
 * ```ts
 * import { contractVersion } from "@dttracker-dobbletap/contracts";
 * console.log(`speaking contract ${contractVersion}`); // "1.1.0"
 * ```
 */
export const contractVersion = "1.1.0";
