import init from "./mekaar_console-0d8023f6.js";
init();
