import init from "./mekaar_console-04cf5417.js";
init();
