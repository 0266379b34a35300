// Bundle-size entry: the whole public surface, for reference.
export * from "../../packages/sdk/dist/index.js";
