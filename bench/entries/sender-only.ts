// Bundle-size entry: what a DTTracker function that only sends imports.
export { createDobbletapClient } from "../../packages/sdk/dist/index.js";
