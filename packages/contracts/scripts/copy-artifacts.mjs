// Ships the generated contract artefacts inside the package: the pacts (so a team verifies against
// the contract version it depends on) and the OpenAPI documents and JSON Schemas.
import { cpSync, existsSync, rmSync } from "node:fs";

for (const folder of ["pacts", "openapi", "docs"]) {
  rmSync(folder, { recursive: true, force: true });
  if (existsSync(`../../${folder}`)) cpSync(`../../${folder}`, folder, { recursive: true });
  else console.warn(`contracts: ../../${folder} does not exist yet; the package ships without it.`);
}
