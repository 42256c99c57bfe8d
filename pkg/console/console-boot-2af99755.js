import init from "./mekaar_console-2519cff1.js";
init();
