import init from "./mekaar_console-4b831fce.js";
init();
