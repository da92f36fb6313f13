/**
 * The wasm backend's binaries, by file name, as URLs. Empty here: the backend fetches them from
 * the folder of the bundle (or setWasmLocation's). The browser build replaces this module with
 * one that embeds the binaries as data URLs, so that the bundle works wherever it is copied or
 * re-bundled (scripts/build-browser.mjs).
 */
export const WASM_FILES: Record<string, string> = {};
