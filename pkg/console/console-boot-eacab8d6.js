import init from "./mekaar_console-6f1a2bcb.js";
init();
