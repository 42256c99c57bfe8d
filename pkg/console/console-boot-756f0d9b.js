import init from "./mekaar_console-7600e4fc.js";
init();
