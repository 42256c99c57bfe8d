import init from "./mekaar_console-2e5e59ce.js";
init();
