// Bundle-size entry: what a Dobbletap function that only receives imports.
export { createWebhookHandler } from "../../packages/sdk/dist/index.js";
