// Starts the console: the page's CSP allows no inline script, so this file loads the
// wasm-bindgen glue, whose start function renders into #mekaar-console.
import init from "./__CONSOLE_JS__";
init();
