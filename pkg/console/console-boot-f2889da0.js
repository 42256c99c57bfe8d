import init from "./mekaar_console-7bd0000d.js";
init();
